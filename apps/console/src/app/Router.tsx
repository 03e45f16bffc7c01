import { useEffect } from 'react'
import { useLocation, Router as WouterRouter } from 'wouter'
import { SessionExpiredOverlay } from '../features/auth/SessionExpiredOverlay'
import { SignInPage } from '../features/auth/SignInPage'
import { currentTarget, navigate, safeTarget, toHash, useHashPath, useHashQuery } from '../router/hash-location'
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

function Screens() {
  const [path] = useLocation()
  const next = safeTarget(useHashQuery().get('next'))
  const screen = matchScreen(path)
  const { state } = useSession()

  if (state.status === 'signed-out') {
    return isAuthScreen(screen) ? <ScreenView screen={screen} /> : <RedirectToSignIn />
  }
  // Links from emails still work for a signed-in admin; sign-in and register do not apply.
  if (screen.name === 'sign-in' || screen.name === 'register') {
    return <LeaveAuthScreen next={next} />
  }
  if (isAuthScreen(screen)) return <ScreenView screen={screen} />
  return (
    <Shell path={path}>
      <ScreenView screen={screen} />
      {state.status === 'expired' && <SessionExpiredOverlay email={state.email} />}
    </Shell>
  )
}

/** Screens are hash routes (`#/clients/<id>`, `#/clients?unused_for=90d`), matched by wouter. */
export function Router() {
  return (
    <WouterRouter hook={useHashPath}>
      <Screens />
    </WouterRouter>
  )
}
