import { Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'
import { AdminsPage } from '../features/admins/AdminsPage'
import { AuditPage } from '../features/audit/AuditPage'
import { ForgotPasswordPage } from '../features/auth/ForgotPasswordPage'
import { RegisterPage } from '../features/auth/RegisterPage'
import { ResetPasswordPage } from '../features/auth/ResetPasswordPage'
import { SignInPage } from '../features/auth/SignInPage'
import { VerifyEmailPage } from '../features/auth/VerifyEmailPage'
import { ChangesetPage } from '../features/changesets/ChangesetPage'
import { ChangesetsPage } from '../features/changesets/ChangesetsPage'
import { ClientPage } from '../features/client/ClientPage'
import { ClientsPage } from '../features/clients/ClientsPage'
import { OverviewPage } from '../features/overview/OverviewPage'
import { PermissionsPage } from '../features/permissions/PermissionsPage'
import { RateLimitsPage } from '../features/rate-limits/RateLimitsPage'
import { RouteEditorPage } from '../features/routes/RouteEditorPage'
import { RoutesPage } from '../features/routes/RoutesPage'
import { TokensPage } from '../features/tokens/TokensPage'
import type { Screen } from '../router/routes'

type Views = { [Name in Screen['name']]: (screen: Extract<Screen, { name: Name }>) => ReactNode }

/** What each screen shows; a screen with an id shows it afresh (its own state) for every id. */
const VIEWS: Views = {
  overview: () => <OverviewPage />,
  routes: () => <RoutesPage />,
  'route-new': () => <RouteEditorPage />,
  'route-edit': (screen) => <RouteEditorPage routeId={screen.routeId} />,
  clients: () => <ClientsPage />,
  client: (screen) => <ClientPage key={screen.clientId} clientId={screen.clientId} />,
  permissions: () => <PermissionsPage />,
  'rate-limits': () => <RateLimitsPage />,
  admins: () => <AdminsPage />,
  tokens: () => <TokensPage />,
  audit: () => <AuditPage />,
  changesets: () => <ChangesetsPage />,
  changeset: (screen) => <ChangesetPage key={screen.changesetId} changesetId={screen.changesetId} />,
  'sign-in': () => <SignInPage />,
  register: () => <RegisterPage />,
  'verify-email': () => <VerifyEmailPage />,
  'forgot-password': () => <ForgotPasswordPage />,
  'reset-password': () => <ResetPasswordPage />,
  'not-found': () => (
    <>
      <Title order={2}>Not found</Title>
      <Text>
        There is no such screen. <a href="#/">Back to the overview</a>.
      </Text>
    </>
  ),
}

export function ScreenView({ screen }: { screen: Screen }) {
  // The table pairs each name with its own screen type; TypeScript cannot follow that through the lookup.
  const view = VIEWS[screen.name] as (screen: Screen) => ReactNode
  return view(screen)
}
