import { useEffect } from 'react'
import { SessionExpiredOverlay } from '../features/auth/SessionExpiredOverlay'
import { SignInPage } from '../features/auth/SignInPage'
import { currentTarget, navigate, safeTarget, toHash, useHashLocation } from '../router/hash-location'
import { isAuthScreen, matchScreen } from '../router/routes'
import { useSession } from '../session/session-context'
import { ScreenView } from './ScreenView'
import { Shell } from './Shell'

/** Signed out: any console screen sends the admin to sign-in, remembering where they were going. */
function RedirectToSignIn() {
  useEffect(() => {
    navigate(toHash('/sign-in', { next: currentTarget() }), { replace: true })
  }, [])
  return <SignInPage />
}

/** Signed in on sign-in or register: on to where the admin was going. */
function LeaveAuthScreen({ next }: { next: string }) {
  useEffect(() => {
    navigate(next, { replace: true })
  }, [next])
  return null
}

export function Router() {
  const location = useHashLocation()
  const screen = matchScreen(location.path)
  const { state } = useSession()

  if (state.status === 'signed-out') {
    return isAuthScreen(screen) ? <ScreenView screen={screen} /> : <RedirectToSignIn />
  }
  // Links from emails still work for a signed-in admin; sign-in and register do not apply.
  if (screen.name === 'sign-in' || screen.name === 'register') {
    return <LeaveAuthScreen next={safeTarget(location.query.get('next'))} />
  }
  if (isAuthScreen(screen)) return <ScreenView screen={screen} />
  return (
    <Shell path={location.path}>
      <ScreenView screen={screen} />
      {state.status === 'expired' && <SessionExpiredOverlay email={state.email} />}
    </Shell>
  )
}
