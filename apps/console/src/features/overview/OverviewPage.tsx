import { SimpleGrid } from '@mantine/core'
import type { ApiRequestError } from '../../api/errors'
import { queryKeys, screenLoad, useApiQuery } from '../../app/queries'
import { useAdminApi } from '../../app/services-context'
import { PageHeader } from '../../components/PageHeader'
import { RateLimitedPanel } from './RateLimitedPanel'
import { RecentChanges } from './RecentChanges'
import { StatCard } from './StatCard'

function countText(data: ReadonlyArray<unknown> | undefined, error: ApiRequestError | null): string {
  if (data !== undefined) return String(data.length)
  return error === null ? '…' : 'n/a'
}

export function OverviewPage() {
  const admin = useAdminApi()
  const routes = useApiQuery(queryKeys.routes, () => admin.listRoutes(), screenLoad)
  const clients = useApiQuery(queryKeys.clientList(''), () => admin.listClients(), screenLoad)
  const permissions = useApiQuery(queryKeys.permissions, () => admin.listPermissions(), screenLoad)
  const refused = (clients.data ?? []).filter((client) => client.status !== 'active')
  const suspended = refused.filter((client) => client.status === 'suspended').length

  return (
    <>
      <PageHeader title="Overview" description="What authz enforces right now." />
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} mb="md">
        <StatCard label="Routes" href="#/routes" value={countText(routes.data, routes.error)} />
        <StatCard
          label="Clients"
          href="#/clients"
          value={countText(clients.data, clients.error)}
          detail={clients.data === undefined ? undefined : `${clients.data.length - refused.length} active`}
        />
        <StatCard label="Permissions" href="#/permissions" value={countText(permissions.data, permissions.error)} />
        <StatCard
          label="Denied clients"
          href="#/clients"
          value={clients.data === undefined ? countText(undefined, clients.error) : String(refused.length)}
          detail={
            clients.data === undefined
              ? undefined
              : `${suspended} suspended, ${refused.length - suspended} revoked: authz refuses them (403)`
          }
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <RecentChanges />
        <RateLimitedPanel />
      </SimpleGrid>
    </>
  )
}
