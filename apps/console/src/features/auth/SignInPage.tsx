import { Alert, Code, Text } from '@mantine/core'
import { useRuntimeConfig } from '../../app/services-context'
import { navigate, safeTarget, useHashQuery } from '../../router/hash-location'
import { AuthLayout, AuthLink } from './AuthLayout'
import { LocalModeNote, LocalSignIn } from './LocalSignIn'
import { SignInForm } from './SignInForm'

/**
 * Full-page sign-in; afterwards the admin lands where they were headed (`?next=`). Which sign-in it
 * offers follows /api/config: the Aegis form, local sign-in links (`?code=` from `gatekeeper start`), or both.
 */
export function SignInPage() {
  const query = useHashQuery()
  const config = useRuntimeConfig()
  const next = safeTarget(query.get('next'))
  const code = query.get('code')
  const aegis = config.aegisApiUrl !== null

  if (code !== null) {
    return (
      <AuthLayout title="Sign in">
        {config.localSignIn ? (
          <LocalSignIn code={code} />
        ) : (
          <Alert color="red" title="Local sign-in is off" role="alert">
            <Text size="sm">
              This server signs in with Aegis; sign-in links work only when an operator sets{' '}
              <Code>CONSOLE_LOCAL_SIGNIN=true</Code>.
            </Text>
          </Alert>
        )}
      </AuthLayout>
    )
  }

  return (
    <AuthLayout
      title="Sign in"
      footer={
        aegis ? (
          <>
            <AuthLink to="/register">Create an account</AuthLink>
            <AuthLink to="/forgot-password">Forgot password?</AuthLink>
            <AuthLink to="/verify-email">Verify email</AuthLink>
          </>
        ) : undefined
      }
    >
      {config.localSignIn && <LocalModeNote aegis={aegis} />}
      {aegis && <SignInForm onSignedIn={() => navigate(next, { replace: true })} />}
      {!aegis && !config.localSignIn && (
        <Alert color="yellow" title="No sign-in is configured" role="alert">
          <Text size="sm">
            Set <Code>AEGIS_API_URL</Code> for Aegis sign-in, or allow local sign-in links with{' '}
            <Code>CONSOLE_LOCAL_SIGNIN=true</Code>. Admin API tokens still work for automation.
          </Text>
        </Alert>
      )}
    </AuthLayout>
  )
}
