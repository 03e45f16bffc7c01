import { TextInput } from '@mantine/core'
import { useState } from 'react'
import { useAuthApi } from '../../app/services-context'
import { useSchemaForm } from '../../forms/use-schema-form'
import { AuthFormPage } from './AuthLayout'
import { requestResetSchema } from './schemas'

export function ForgotPasswordPage() {
  const auth = useAuthApi()
  const [done, setDone] = useState(false)
  const form = useSchemaForm({
    initialValues: { email: '' },
    schema: requestResetSchema,
    toInput: (values) => values,
    send: (data) => auth.requestPasswordReset(data),
    onDone: () => setDone(true),
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
