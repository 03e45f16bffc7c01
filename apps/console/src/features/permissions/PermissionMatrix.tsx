import type { ClientWire, HttpMethod, PermissionWire, RouteWire } from '@gatekeeper/models'
import { Checkbox, Group, Text } from '@mantine/core'
import { ClientNameCell } from '../../components/ClientLink'
import { type Column, DataTable } from '../../components/DataTable'
import { cellKey, cellMethods, type MatrixChange, toggleChange } from './matrix'

type Props = {
  clients: ReadonlyArray<ClientWire>
  routes: ReadonlyArray<RouteWire>
  grants: Map<string, PermissionWire>
  /** Cells with a change in flight (their toggles are disabled). */
  pending: ReadonlySet<string>
  onChange(cell: string, change: MatrixChange): void
}

/** Clients down, routes across; each cell toggles the methods that client may call on that route. */
export function PermissionMatrix({ clients, routes, grants, pending, onChange }: Props) {
  const routeColumn = (route: RouteWire): Column<ClientWire> => ({
    key: route.route_id,
    header: (
      <>
        <Text size="sm" ff="monospace" fw={600}>
          {route.route_pattern}
        </Text>
        <Text size="xs" c="dimmed">
          {route.domain} · {route.service_name}
        </Text>
      </>
    ),
    cellProps: (client) => ({
      bg: grants.has(cellKey(client.client_id, route.route_id)) ? 'teal.0' : undefined,
    }),
    cell: (client) => {
      const key = cellKey(client.client_id, route.route_id)
      const grant = grants.get(key)
      const granted = new Set<HttpMethod>(grant?.allowed_methods ?? [])
      return (
        <Group gap={6}>
          {cellMethods(route, grant).map((method) => (
            <Checkbox
              key={method}
              size="xs"
              label={method}
              aria-label={`${client.client_name} ${route.route_pattern} ${method}`}
              checked={granted.has(method)}
              disabled={pending.has(key)}
              onChange={(event) =>
                onChange(
                  key,
                  toggleChange(grant, client.client_id, route.route_id, method, event.currentTarget.checked),
                )
              }
            />
          ))}
        </Group>
      )
    },
  })
  return (
    <DataTable
      minWidth={240 + routes.length * 200}
      scrollType="scrollarea"
      striped={false}
      withTableBorder
      withColumnBorders
      stickyHeader
      rows={clients}
      rowKey={(client) => client.client_id}
      columns={[
        { header: 'Client', cell: (client) => <ClientNameCell client={client} wrap="nowrap" /> },
        ...routes.map(routeColumn),
      ]}
    />
  )
}
