import { PasswordInput, TextInput } from '@mantine/core'
import { useAuthApi } from '../../app/services-context'
import { AuthFormPage } from './AuthLayout'
import { registerSchema } from './schemas'
import { useAuthForm } from './use-auth-form'

export function RegisterPage() {
  const auth = useAuthApi()
  const { form, done } = useAuthForm({
    initialValues: { email: '', password: '', confirm: '' },
    schema: registerSchema,
    send: (data) => auth.register({ email: data.email, password: data.password }),
  })
  const { email } = form.form.values

  return (
    <AuthFormPage
      title="Create an account"
      form={form}
      fields={['email', 'password', 'confirm']}
      submitLabel="Create account"
      done={
        done && {
          title: 'Check your inbox',
          text: (
            <>
              We sent a verification link to {email}. Open it (or paste its token on the{' '}
              <a href="#/verify-email">verify page</a>), then sign in. Console access also needs an admin to add you.
            </>
          ),
        }
      }
    >
      <TextInput label="Email" type="email" autoComplete="username" {...form.field('email')} />
      <PasswordInput label="Password" autoComplete="new-password" {...form.field('password')} />
      <PasswordInput label="Repeat password" autoComplete="new-password" {...form.field('confirm')} />
    </AuthFormPage>
  )
}
