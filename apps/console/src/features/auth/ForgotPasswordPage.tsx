import { TextInput } from '@mantine/core'
import { useAuthApi } from '../../app/services-context'
import { AuthFormPage } from './AuthLayout'
import { requestResetSchema } from './schemas'
import { useAuthForm } from './use-auth-form'

export function ForgotPasswordPage() {
  const auth = useAuthApi()
  const { form, done } = useAuthForm({
    initialValues: { email: '' },
    schema: requestResetSchema,
    send: (data) => auth.requestPasswordReset(data),
  })
  const { email } = form.form.values

  return (
    <AuthFormPage
      title="Reset your password"
      form={form}
      fields={['email']}
      submitLabel="Send reset link"
      done={
        done && {
          title: 'Check your inbox',
          text: (
            <>
              If {email} has an account, a reset link is on its way. It leads to the{' '}
              <a href="#/reset-password">reset page</a>.
            </>
          ),
        }
      }
    >
      <TextInput label="Email" type="email" {...form.field('email')} />
    </AuthFormPage>
  )
}
