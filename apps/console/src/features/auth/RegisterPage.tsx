import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core'
import { type FormEvent, useState } from 'react'
import { useAuthApi } from '../../app/services-context'
import { FormErrors } from '../../components/FormErrors'
import { useFormSubmit } from '../../forms/use-form-submit'
import { otherErrors, validate } from '../../forms/validate'
import { AuthLayout, AuthLink } from './AuthLayout'
import { registerSchema } from './schemas'

export function RegisterPage() {
  const auth = useAuthApi()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [done, setDone] = useState(false)
  const form = useFormSubmit(
    (data: { email: string; password: string }) => auth.register({ email: data.email, password: data.password }),
    () => setDone(true),
  )

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    void form.submit(validate(registerSchema, { email, password, confirm }))
  }

  return (
    <AuthLayout title="Create an account" footer={<AuthLink to="/sign-in">Back to sign in</AuthLink>}>
      {done ? (
        <Alert color="teal" title="Check your inbox">
          We sent a verification link to {email}. Open it (or paste its token on the{' '}
          <a href="#/verify-email">verify page</a>), then sign in. Console access also needs an admin to add you.
        </Alert>
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <Stack>
            <FormErrors
              formError={form.formError}
              messages={otherErrors(form.errors, ['email', 'password', 'confirm'])}
            />
            <TextInput
              label="Email"
              type="email"
              autoComplete="username"
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={form.errors.email}
            />
            <PasswordInput
              label="Password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={form.errors.password}
            />
            <PasswordInput
              label="Repeat password"
              autoComplete="new-password"
              value={confirm}
              onChange={(e) => setConfirm(e.currentTarget.value)}
              error={form.errors.confirm}
            />
            <Button type="submit" loading={form.submitting}>
              Create account
            </Button>
          </Stack>
        </form>
      )}
    </AuthLayout>
  )
}
