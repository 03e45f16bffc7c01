import type { ClientWire } from '@gatekeeper/models'
import { Badge, Button, Code, Group, Stack, Table, Text, Tooltip } from '@mantine/core'
import type { ClientListItem } from '../../api/lifecycle'
import { ClientLink } from '../../components/ClientLink'
import { formatTime, shortId } from '../../components/format'
import { StatusBadge } from '../../components/StatusBadge'
import { type ClientAction, statusActions } from './client-actions'

type Props = {
  clients: ReadonlyArray<ClientListItem>
  busyId: string | null
  onAction(client: ClientWire, action: ClientAction): void
}

export function ClientsTable({ clients, busyId, onAction }: Props) {
  // Shown when the console-api reports last use at all (older ones do not).
  const tracksLastUse = clients.some((client) => client.last_used_at !== undefined)
  return (
    // On a narrow screen the table scrolls sideways inside its container (the page itself never does);
    // name and status come first, so they show without scrolling.
    <Table.ScrollContainer minWidth={tracksLastUse ? 1060 : 940} type="native">
      <Table striped highlightOnHover styles={{ td: { whiteSpace: 'nowrap' } }}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Client id</Table.Th>
            <Table.Th>API key</Table.Th>
            <Table.Th>HMAC secret</Table.Th>
            <Table.Th>Expires</Table.Th>
            {tracksLastUse && <Table.Th>Last used</Table.Th>}
            <Table.Th>Created</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {clients.map((client) => (
            <Table.Tr key={client.client_id} data-testid={`client-row-${client.client_name}`}>
              <Table.Td>
                <ClientLink clientId={client.client_id} name={client.client_name} />
              </Table.Td>
              <Table.Td>
                <StatusBadge status={client.status} />
              </Table.Td>
              <Table.Td>
                <Tooltip label={client.client_id}>
                  <Code>{shortId(client.client_id)}</Code>
                </Tooltip>
              </Table.Td>
              <Table.Td>
                {client.api_key_masked === null ? <Text c="dimmed">none</Text> : <Code>{client.api_key_masked}</Code>}
              </Table.Td>
              <Table.Td>
                {client.has_shared_secret === undefined ? (
                  <Text c="dimmed">?</Text>
                ) : (
                  <Badge variant="light" color={client.has_shared_secret ? 'blue' : 'gray'}>
                    {client.has_shared_secret ? 'set' : 'none'}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td data-testid="client-expiry">
                <ExpiryCell client={client} />
              </Table.Td>
              {tracksLastUse && (
                <Table.Td data-testid="client-last-used">
                  {client.last_used_at == null ? (
                    <Text size="xs" c="dimmed">
                      never
                    </Text>
                  ) : (
                    <Text size="xs">{formatTime(client.last_used_at)}</Text>
                  )}
                </Table.Td>
              )}
              <Table.Td>
                <Text size="xs">{formatTime(client.created_at)}</Text>
              </Table.Td>
              <Table.Td>
                <Group gap={4} justify="flex-end" wrap="nowrap">
                  {statusActions(client).map((action) => (
                    <Button
                      key={action.status}
                      size="compact-sm"
                      variant="light"
                      color={action.color}
                      loading={busyId === client.client_id}
                      onClick={() => onAction(client, { kind: 'status', status: action.status })}
                    >
                      {action.label}
                    </Button>
                  ))}
                  <Button
                    size="compact-sm"
                    variant="light"
                    color="orange"
                    onClick={() => onAction(client, { kind: 'rotate' })}
                  >
                    Rotate
                  </Button>
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    color="red"
                    onClick={() => onAction(client, { kind: 'delete' })}
                  >
                    Delete
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}

/** The client's own expiry and its current credentials', each marked once past (authz refuses them then). */
function ExpiryCell({ client }: { client: ClientWire }) {
  const entries: Array<[string, number]> = []
  if (client.expires_at != null) entries.push(['client', client.expires_at])
  if (client.api_key_expires_at != null) entries.push(['API key', client.api_key_expires_at])
  if (client.shared_secret_expires_at != null) entries.push(['secret', client.shared_secret_expires_at])
  if (entries.length === 0) return <Text c="dimmed">never</Text>
  const now = Date.now() / 1000
  return (
    <Stack gap={2}>
      {entries.map(([what, at]) => (
        <Group key={what} gap={4} wrap="nowrap">
          <Text size="xs">
            {what}: {formatTime(at)}
          </Text>
          {at <= now && (
            <Badge size="xs" color="red" variant="light">
              expired
            </Badge>
          )}
        </Group>
      ))}
    </Stack>
  )
}
