import { Alert, Code, Loader, Stack, Text } from '@mantine/core'
import { useEffect, useRef, useState } from 'react'
import { type ApiRequestError, asApiError } from '../../api/errors'
import { useAuthApi } from '../../app/services-context'
import { useSession } from '../../session/session-context'

/** How the console names a local sign-in session (the audit log's actor is `local-admin`). */
export const LOCAL_ADMIN_LABEL = 'local admin'

/**
 * Opened from the one-time link `gatekeeper start` prints (`#/sign-in?code=gkl_…`): spends the code
 * once for a short-lived admin session. Once signed in, the router replaces this URL, so the spent code
 * does not stay in the address bar.
 */
export function LocalSignIn({ code }: { code: string }) {
  const auth = useAuthApi()
  const session = useSession()
  const [error, setError] = useState<ApiRequestError | null>(null)
  // The code works once: a remount (React's StrictMode does one) must not spend it a second time.
  const sent = useRef(false)

  useEffect(() => {
    if (sent.current) return
    sent.current = true
    auth.localSignIn(code).then(
      (result) =>
        session.signIn({ token: result.token, email: LOCAL_ADMIN_LABEL, expiresAt: result.expires_at * 1000 }),
      (failure: unknown) => setError(asApiError(failure)),
    )
  }, [auth, code, session])

  if (error === null) {
    return (
      <Stack align="center">
        <Loader />
        <Text size="sm">Signing in with the local sign-in link…</Text>
      </Stack>
    )
  }
  return (
    <Alert color="red" title="This sign-in link did not work" role="alert">
      <Text size="sm">{error.message}</Text>
      <Text size="sm" mt="xs">
        Links work once and expire. Print a new one with <Code>gatekeeper admin sign-in-link</Code>.
      </Text>
    </Alert>
  )
}

/** What the sign-in page says about local mode: where the link comes from. */
export function LocalModeNote({ aegis }: { aegis: boolean }) {
  return (
    <Alert color="blue" title={aegis ? 'Local sign-in is also on' : 'Local mode'} mb={aegis ? 'md' : 0}>
      <Text size="sm">
        {aegis
          ? 'An operator enabled local sign-in links next to Aegis. '
          : 'Aegis is not configured on this server, so there is no password sign-in. '}
        Use the sign-in link printed by <Code>gatekeeper start</Code>, or print a new one with{' '}
        <Code>gatekeeper admin sign-in-link</Code>.
      </Text>
    </Alert>
  )
}
