import { Alert, Button, Stack, TextInput } from '@mantine/core'
import { useState } from 'react'
import { useAuthApi } from '../../app/services-context'
import { FormErrors } from '../../components/FormErrors'
import { useSchemaForm } from '../../forms/use-schema-form'
import { otherErrors } from '../../forms/validate'
import { AuthLayout, AuthLink } from './AuthLayout'
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
    <AuthLayout title="Reset your password" footer={<AuthLink to="/sign-in">Back to sign in</AuthLink>}>
      {done ? (
        <Alert color="teal" title="Check your inbox">
          If {email} has an account, a reset link is on its way. It leads to the{' '}
          <a href="#/reset-password">reset page</a>.
        </Alert>
      ) : (
        <form onSubmit={form.onSubmit} noValidate>
          <Stack>
            <FormErrors formError={form.formError} messages={otherErrors(form.errors, ['email'])} />
            <TextInput label="Email" type="email" {...form.form.getInputProps('email')} error={form.errors.email} />
            <Button type="submit" loading={form.submitting}>
              Send reset link
            </Button>
          </Stack>
        </form>
      )}
    </AuthLayout>
  )
}
