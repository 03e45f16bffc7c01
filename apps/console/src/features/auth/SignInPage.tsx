import { navigate, safeTarget, useHashLocation } from '../../router/hash-location'
import { AuthLayout, AuthLink } from './AuthLayout'
import { SignInForm } from './SignInForm'

/** Full-page sign-in; afterwards the admin lands where they were headed (`?next=`). */
export function SignInPage() {
  const { query } = useHashLocation()
  const next = safeTarget(query.get('next'))
  return (
    <AuthLayout
      title="Sign in"
      footer={
        <>
          <AuthLink to="/register">Create an account</AuthLink>
          <AuthLink to="/forgot-password">Forgot password?</AuthLink>
          <AuthLink to="/verify-email">Verify email</AuthLink>
        </>
      }
    >
      <SignInForm onSignedIn={() => navigate(next, { replace: true })} />
    </AuthLayout>
  )
}
