import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core'
import { type FormEvent, useState } from 'react'
import { useAuthApi } from '../../app/services-context'
import { FormErrors } from '../../components/FormErrors'
import { useFormSubmit } from '../../forms/use-form-submit'
import { otherErrors, validate } from '../../forms/validate'
import { useHashQuery } from '../../router/hash-location'
import { AuthLayout, AuthLink } from './AuthLayout'
import { resetPasswordSchema } from './schemas'
import { tokenFromLinks } from './token-param'

export function ResetPasswordPage() {
  const auth = useAuthApi()
  const query = useHashQuery()
  const [token, setToken] = useState(() => tokenFromLinks(query))
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [done, setDone] = useState(false)
  const form = useFormSubmit(
    (data: { token: string; new_password: string }) =>
      auth.resetPassword({ token: data.token, new_password: data.new_password }),
    () => setDone(true),
  )

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    void form.submit(validate(resetPasswordSchema, { token, new_password: password, confirm }))
  }

  return (
    <AuthLayout title="Choose a new password" footer={<AuthLink to="/sign-in">Back to sign in</AuthLink>}>
      {done ? (
        <Alert color="teal" title="Password changed">
          You can now <a href="#/sign-in">sign in</a> with the new password.
        </Alert>
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <Stack>
            <FormErrors
              formError={form.formError}
              messages={otherErrors(form.errors, ['token', 'new_password', 'confirm'])}
            />
            <TextInput
              label="Reset token"
              value={token}
              onChange={(e) => setToken(e.currentTarget.value)}
              error={form.errors.token}
            />
            <PasswordInput
              label="New password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={form.errors.new_password}
            />
            <PasswordInput
              label="Repeat new password"
              autoComplete="new-password"
              value={confirm}
              onChange={(e) => setConfirm(e.currentTarget.value)}
              error={form.errors.confirm}
            />
            <Button type="submit" loading={form.submitting}>
              Set new password
            </Button>
          </Stack>
        </form>
      )}
    </AuthLayout>
  )
}
