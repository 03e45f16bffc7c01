import { Text, Title } from '@mantine/core'
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

export function ScreenView({ screen }: { screen: Screen }) {
  switch (screen.name) {
    case 'overview':
      return <OverviewPage />
    case 'routes':
      return <RoutesPage />
    case 'route-new':
      return <RouteEditorPage />
    case 'route-edit':
      return <RouteEditorPage routeId={screen.routeId} />
    case 'clients':
      return <ClientsPage />
    case 'client':
      return <ClientPage key={screen.clientId} clientId={screen.clientId} />
    case 'permissions':
      return <PermissionsPage />
    case 'rate-limits':
      return <RateLimitsPage />
    case 'admins':
      return <AdminsPage />
    case 'tokens':
      return <TokensPage />
    case 'audit':
      return <AuditPage />
    case 'changesets':
      return <ChangesetsPage />
    case 'changeset':
      return <ChangesetPage key={screen.changesetId} changesetId={screen.changesetId} />
    case 'sign-in':
      return <SignInPage />
    case 'register':
      return <RegisterPage />
    case 'verify-email':
      return <VerifyEmailPage />
    case 'forgot-password':
      return <ForgotPasswordPage />
    case 'reset-password':
      return <ResetPasswordPage />
    case 'not-found':
      return (
        <>
          <Title order={2}>Not found</Title>
          <Text>
            There is no such screen. <a href="#/">Back to the overview</a>.
          </Text>
        </>
      )
  }
}
