import { Alert, Button, Stack, TextInput } from '@mantine/core'
import { type FormEvent, useState } from 'react'
import { useAuthApi } from '../../app/services-context'
import { FormErrors } from '../../components/FormErrors'
import { useFormSubmit } from '../../forms/use-form-submit'
import { otherErrors, validate } from '../../forms/validate'
import { AuthLayout, AuthLink } from './AuthLayout'
import { requestResetSchema } from './schemas'

export function ForgotPasswordPage() {
  const auth = useAuthApi()
  const [email, setEmail] = useState('')
  const [done, setDone] = useState(false)
  const form = useFormSubmit(
    (data: { email: string }) => auth.requestPasswordReset(data),
    () => setDone(true),
  )

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    void form.submit(validate(requestResetSchema, { email }))
  }

  return (
    <AuthLayout title="Reset your password" footer={<AuthLink to="/sign-in">Back to sign in</AuthLink>}>
      {done ? (
        <Alert color="teal" title="Check your inbox">
          If {email} has an account, a reset link is on its way. It leads to the{' '}
          <a href="#/reset-password">reset page</a>.
        </Alert>
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <Stack>
            <FormErrors formError={form.formError} messages={otherErrors(form.errors, ['email'])} />
            <TextInput
              label="Email"
              type="email"
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={form.errors.email}
            />
            <Button type="submit" loading={form.submitting}>
              Send reset link
            </Button>
          </Stack>
        </form>
      )}
    </AuthLayout>
  )
}
