import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core'
import { useState } from 'react'
import { useAuthApi } from '../../app/services-context'
import { FormErrors } from '../../components/FormErrors'
import { useSchemaForm } from '../../forms/use-schema-form'
import { otherErrors } from '../../forms/validate'
import { AuthLayout, AuthLink } from './AuthLayout'
import { registerSchema } from './schemas'

export function RegisterPage() {
  const auth = useAuthApi()
  const [done, setDone] = useState(false)
  const form = useSchemaForm({
    initialValues: { email: '', password: '', confirm: '' },
    schema: registerSchema,
    toInput: (values) => values,
    send: (data) => auth.register({ email: data.email, password: data.password }),
    onDone: () => setDone(true),
  })
  const { email } = form.form.values

  return (
    <AuthLayout title="Create an account" footer={<AuthLink to="/sign-in">Back to sign in</AuthLink>}>
      {done ? (
        <Alert color="teal" title="Check your inbox">
          We sent a verification link to {email}. Open it (or paste its token on the{' '}
          <a href="#/verify-email">verify page</a>), then sign in. Console access also needs an admin to add you.
        </Alert>
      ) : (
        <form onSubmit={form.onSubmit} noValidate>
          <Stack>
            <FormErrors
              formError={form.formError}
              messages={otherErrors(form.errors, ['email', 'password', 'confirm'])}
            />
            <TextInput
              label="Email"
              type="email"
              autoComplete="username"
              {...form.form.getInputProps('email')}
              error={form.errors.email}
            />
            <PasswordInput
              label="Password"
              autoComplete="new-password"
              {...form.form.getInputProps('password')}
              error={form.errors.password}
            />
            <PasswordInput
              label="Repeat password"
              autoComplete="new-password"
              {...form.form.getInputProps('confirm')}
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
