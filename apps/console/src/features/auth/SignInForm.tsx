import { Anchor, Button, PasswordInput, TextInput } from '@mantine/core'
import { useCallback, useState } from 'react'
import { expiresAtMillis } from '../../api/auth'
import { ApiRequestError } from '../../api/errors'
import { useServices } from '../../app/services-context'
import { SchemaFormFrame } from '../../forms/SchemaFormFrame'
import { useSchemaForm } from '../../forms/use-schema-form'
import { useSession } from '../../session/session-context'
import { signInSchema } from './schemas'

type Props = { initialEmail?: string; onSignedIn?: () => void }

/** Aegis refused the email and password: say so plainly (it never tells which of the two was wrong). */
function loginProblem(error: unknown): never {
  if (error instanceof ApiRequestError && error.status === 401) {
    throw new ApiRequestError(401, error.code, 'Sign-in refused: the email or password is not right.')
  }
  throw error
}

function accessProblem(error: unknown, email: string): never {
  if (error instanceof ApiRequestError && error.status === 401) {
    throw new ApiRequestError(
      401,
      error.code,
      `Sign-in refused: the password was accepted, but console-api did not accept the session for ${email} (${error.message}).`,
    )
  }
  if (error instanceof ApiRequestError && error.status === 403) {
    throw new ApiRequestError(
      403,
      'forbidden',
      `${email} signed in, but is not a console admin. An existing admin can add this address (Admins screen), or it can be listed in AEGIS_ADMIN_EMAILS before the email is verified.`,
    )
  }
  throw error
}

/** Email + password through the console-api's Aegis proxy; the token is kept only if it opens the admin API. */
export function SignInForm({ initialEmail = '', onSignedIn }: Props) {
  const { auth, admin } = useServices()
  const session = useSession()
  const [unverified, setUnverified] = useState(false)

  const send = useCallback(
    async (data: { email: string; password: string }) => {
      setUnverified(false)
      try {
        const result = await auth.login(data).catch(loginProblem)
        await admin.checkAccess(result.token).catch((error: unknown) => accessProblem(error, data.email))
        session.signIn({ token: result.token, email: data.email, expiresAt: expiresAtMillis(result.expires_at) })
        onSignedIn?.()
      } catch (error) {
        if (error instanceof ApiRequestError && error.status === 403 && error.code !== 'forbidden') setUnverified(true)
        throw error
      }
    },
    [auth, admin, session, onSignedIn],
  )
  const form = useSchemaForm({
    initialValues: { email: initialEmail, password: '' },
    schema: signInSchema,
    toInput: (values) => values,
    send,
  })

  return (
    <SchemaFormFrame form={form} fields={['email', 'password']}>
      {unverified && (
        <Anchor href="#/verify-email" size="sm">
          Verify your email address first
        </Anchor>
      )}
      <TextInput label="Email" type="email" autoComplete="username" {...form.field('email')} />
      <PasswordInput label="Password" autoComplete="current-password" {...form.field('password')} />
      <Button type="submit" loading={form.submitting}>
        Sign in
      </Button>
    </SchemaFormFrame>
  )
}
