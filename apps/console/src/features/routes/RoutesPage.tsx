import type { RouteWire } from '@gatekeeper/models'
import { Anchor, Badge, Button, Group, Loader, Table, Text, TextInput } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { queryKeys, screenLoad, useApiQuery } from '../../app/queries'
import { useAdminApi } from '../../app/services-context'
import { EmptyState } from '../../components/EmptyState'
import { ErrorAlert } from '../../components/ErrorAlert'
import { formatTime } from '../../components/format'
import { PageHeader } from '../../components/PageHeader'
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
      <TextInput
        placeholder="Search by path, domain or service"
        aria-label="Search routes"
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
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
        <EmptyState
          title="No route matches the search"
          actions={
            <Button variant="default" onClick={() => setSearch('')}>
              Clear search
            </Button>
          }
        />
      ) : (
        <Table.ScrollContainer minWidth={760} type="native">
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Pattern</Table.Th>
                <Table.Th>Domain</Table.Th>
                <Table.Th>Service</Table.Th>
                <Table.Th>Methods</Table.Th>
                <Table.Th>Updated</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {visible.map((route) => (
                <Table.Tr key={route.route_id}>
                  <Table.Td>
                    <Anchor href={`#/routes/${route.route_id}`} ff="monospace">
                      {route.route_pattern}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="outline" tt="none">
                      {route.domain}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{route.service_name}</Table.Td>
                  <Table.Td>
                    <Text size="xs">{describeMethods(route.methods)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{formatTime(route.updated_at)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <Button size="compact-sm" variant="light" onClick={() => navigate(`/routes/${route.route_id}`)}>
                        Edit
                      </Button>
                      <Button size="compact-sm" variant="light" color="red" onClick={() => setDeleting(route)}>
                        Delete
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
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
