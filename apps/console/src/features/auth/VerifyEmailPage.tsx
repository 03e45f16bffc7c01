import { Alert, Button, Stack, TextInput } from '@mantine/core'
import { useEffect, useState } from 'react'
import { asApiError } from '../../api/errors'
import { useAuthApi } from '../../app/services-context'
import { FormErrors } from '../../components/FormErrors'
import { otherErrors } from '../../forms/validate'
import { useHashQuery } from '../../router/hash-location'
import { AuthLayout, AuthLink } from './AuthLayout'
import { verifyEmailSchema } from './schemas'
import { tokenFromLinks } from './token-param'
import { useAuthForm } from './use-auth-form'

type Check = { state: 'idle' } | { state: 'valid' } | { state: 'invalid'; message: string }

export function VerifyEmailPage() {
  const auth = useAuthApi()
  const query = useHashQuery()
  const [initialToken] = useState(() => tokenFromLinks(query))
  const [check, setCheck] = useState<Check>({ state: 'idle' })
  const { form, done } = useAuthForm({
    initialValues: { token: initialToken },
    schema: verifyEmailSchema,
    send: (data) => auth.verifyEmail(data),
  })

  // A token that arrived in the link is checked at once, so an expired link says so before any click.
  useEffect(() => {
    if (initialToken.trim() === '') return
    auth.checkVerificationToken({ token: initialToken.trim() }).then(
      () => setCheck({ state: 'valid' }),
      (error: unknown) => setCheck({ state: 'invalid', message: asApiError(error).message }),
    )
  }, [auth, initialToken])

  return (
    <AuthLayout title="Verify your email" footer={<AuthLink to="/sign-in">Back to sign in</AuthLink>}>
      {done ? (
        <Alert color="teal" title="Email verified">
          You can now <a href="#/sign-in">sign in</a>.
        </Alert>
      ) : (
        <form onSubmit={form.onSubmit} noValidate>
          <Stack>
            {check.state === 'invalid' && (
              <Alert color="yellow" title="This link is not valid any more">
                {check.message}
              </Alert>
            )}
            {check.state === 'valid' && <Alert color="blue">The link is valid: confirm below.</Alert>}
            <FormErrors formError={form.formError} messages={otherErrors(form.errors, ['token'])} />
            <TextInput label="Verification token" {...form.field('token')} />
            <Button type="submit" loading={form.submitting}>
              Verify email
            </Button>
          </Stack>
        </form>
      )}
    </AuthLayout>
  )
}
