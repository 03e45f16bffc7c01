import type { RouteWire } from '@gatekeeper/models'
import { Anchor, Badge, Button, Loader, Text } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { queryKeys, screenLoad, useApiQuery } from '../../app/queries'
import { useAdminApi } from '../../app/services-context'
import { DataTable } from '../../components/DataTable'
import { EmptyState } from '../../components/EmptyState'
import { ErrorAlert } from '../../components/ErrorAlert'
import { formatTime } from '../../components/format'
import { PageHeader } from '../../components/PageHeader'
import { NoSearchMatch, SearchInput } from '../../components/Search'
import { navigate } from '../../router/hash-location'
import { DeleteRouteModal } from './DeleteRouteModal'
import { describeMethods } from './method-draft'

function matches(route: RouteWire, search: string): boolean {
  const needle = search.trim().toLowerCase()
  if (needle === '') return true
  return [route.route_pattern, route.domain, route.service_name].some((field) => field.toLowerCase().includes(needle))
}

export function RoutesPage() {
  const admin = useAdminApi()
  const queries = useQueryClient()
  const routes = useApiQuery(queryKeys.routes, () => admin.listRoutes(), screenLoad)
  const [search, setSearch] = useState('')
  const [deleting, setDeleting] = useState<RouteWire | null>(null)
  const visible = useMemo(() => (routes.data ?? []).filter((route) => matches(route, search)), [routes.data, search])

  return (
    <>
      <PageHeader
        title="Routes"
        description="Which paths authz protects, and how each method authenticates."
        actions={<Button onClick={() => navigate('/routes/new')}>New route</Button>}
      />
      <ErrorAlert error={routes.error} title="Could not load routes" onRetry={() => void routes.refetch()} />
      <SearchInput
        placeholder="Search by path, domain or service"
        aria-label="Search routes"
        value={search}
        onChange={setSearch}
        mb="sm"
      />
      {routes.isFetching && routes.data === undefined ? (
        <Loader />
      ) : routes.data?.length === 0 ? (
        <EmptyState
          title="No routes yet"
          testId="empty-routes"
          actions={<Button onClick={() => navigate('/routes/new')}>Create a route</Button>}
        >
          A route tells authz which paths it protects and how each method authenticates (public, API key or HMAC). Until
          one matches, authz refuses every request with 403.
        </EmptyState>
      ) : routes.data !== undefined && visible.length === 0 ? (
        <NoSearchMatch what="route" onClear={() => setSearch('')} />
      ) : (
        <DataTable
          minWidth={760}
          highlightOnHover
          rows={visible}
          rowKey={(route) => route.route_id}
          actions={(route) => [
            { label: 'Edit', onClick: () => navigate(`/routes/${route.route_id}`) },
            { label: 'Delete', color: 'red', onClick: () => setDeleting(route) },
          ]}
          columns={[
            {
              header: 'Pattern',
              cell: (route) => (
                <Anchor href={`#/routes/${route.route_id}`} ff="monospace">
                  {route.route_pattern}
                </Anchor>
              ),
            },
            {
              header: 'Domain',
              cell: (route) => (
                <Badge variant="outline" tt="none">
                  {route.domain}
                </Badge>
              ),
            },
            { header: 'Service', cell: (route) => route.service_name },
            { header: 'Methods', cell: (route) => <Text size="xs">{describeMethods(route.methods)}</Text> },
            { header: 'Updated', cell: (route) => <Text size="xs">{formatTime(route.updated_at)}</Text> },
          ]}
        />
      )}
      {deleting !== null && (
        <DeleteRouteModal
          route={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            setDeleting(null)
            void queries.invalidateQueries({ queryKey: queryKeys.routes })
          }}
        />
      )}
    </>
  )
}
