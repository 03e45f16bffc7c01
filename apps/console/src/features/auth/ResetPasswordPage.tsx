import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core'
import { useState } from 'react'
import { useAuthApi } from '../../app/services-context'
import { FormErrors } from '../../components/FormErrors'
import { useSchemaForm } from '../../forms/use-schema-form'
import { otherErrors } from '../../forms/validate'
import { useHashQuery } from '../../router/hash-location'
import { AuthLayout, AuthLink } from './AuthLayout'
import { resetPasswordSchema } from './schemas'
import { tokenFromLinks } from './token-param'

export function ResetPasswordPage() {
  const auth = useAuthApi()
  const query = useHashQuery()
  const [done, setDone] = useState(false)
  const form = useSchemaForm({
    initialValues: { token: tokenFromLinks(query), new_password: '', confirm: '' },
    schema: resetPasswordSchema,
    toInput: (values) => values,
    send: (data) => auth.resetPassword({ token: data.token, new_password: data.new_password }),
    onDone: () => setDone(true),
  })

  return (
    <AuthLayout title="Choose a new password" footer={<AuthLink to="/sign-in">Back to sign in</AuthLink>}>
      {done ? (
        <Alert color="teal" title="Password changed">
          You can now <a href="#/sign-in">sign in</a> with the new password.
        </Alert>
      ) : (
        <form onSubmit={form.onSubmit} noValidate>
          <Stack>
            <FormErrors
              formError={form.formError}
              messages={otherErrors(form.errors, ['token', 'new_password', 'confirm'])}
            />
            <TextInput label="Reset token" {...form.form.getInputProps('token')} error={form.errors.token} />
            <PasswordInput
              label="New password"
              autoComplete="new-password"
              {...form.form.getInputProps('new_password')}
              error={form.errors.new_password}
            />
            <PasswordInput
              label="Repeat new password"
              autoComplete="new-password"
              {...form.form.getInputProps('confirm')}
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
