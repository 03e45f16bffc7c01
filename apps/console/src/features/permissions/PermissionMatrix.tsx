import type { ClientWire, HttpMethod, PermissionWire, RouteWire } from '@gatekeeper/models'
import { Checkbox, Group, Table, Text } from '@mantine/core'
import { ClientLink } from '../../components/ClientLink'
import { StatusBadge } from '../../components/StatusBadge'
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
  return (
    <Table.ScrollContainer minWidth={240 + routes.length * 200}>
      <Table withTableBorder withColumnBorders stickyHeader>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Client</Table.Th>
            {routes.map((route) => (
              <Table.Th key={route.route_id}>
                <Text size="sm" ff="monospace" fw={600}>
                  {route.route_pattern}
                </Text>
                <Text size="xs" c="dimmed">
                  {route.domain} · {route.service_name}
                </Text>
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {clients.map((client) => (
            <Table.Tr key={client.client_id}>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <ClientLink clientId={client.client_id} name={client.client_name} />
                  {client.status !== 'active' && <StatusBadge status={client.status} />}
                </Group>
              </Table.Td>
              {routes.map((route) => {
                const key = cellKey(client.client_id, route.route_id)
                const grant = grants.get(key)
                const granted = new Set<HttpMethod>(grant?.allowed_methods ?? [])
                return (
                  <Table.Td key={route.route_id} bg={grant === undefined ? undefined : 'teal.0'}>
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
                              toggleChange(
                                grant,
                                client.client_id,
                                route.route_id,
                                method,
                                event.currentTarget.checked,
                              ),
                            )
                          }
                        />
                      ))}
                    </Group>
                  </Table.Td>
                )
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}
