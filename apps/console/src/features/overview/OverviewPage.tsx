import { SimpleGrid } from '@mantine/core'
import type { ApiRequestError } from '../../api/errors'
import { useAdminApi } from '../../app/services-context'
import { useResource } from '../../app/use-resource'
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
  const routes = useResource('routes', () => admin.listRoutes())
  const clients = useResource('clients', () => admin.listClients())
  const permissions = useResource('permissions', () => admin.listPermissions())
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
