import type { ClientWire } from '@gatekeeper/models'
import { Badge, Code, Group, Stack, Text, Tooltip } from '@mantine/core'
import type { ClientListItem } from '../../api/lifecycle'
import { ClientLink } from '../../components/ClientLink'
import { DataTable } from '../../components/DataTable'
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
    // Name and status come first, so they show without scrolling sideways on a narrow screen.
    <DataTable
      minWidth={tracksLastUse ? 1060 : 940}
      highlightOnHover
      styles={{ td: { whiteSpace: 'nowrap' } }}
      rows={clients}
      rowKey={(client) => client.client_id}
      rowTestId={(client) => `client-row-${client.client_name}`}
      actions={(client) => [
        ...statusActions(client).map(({ label, color, status }) => ({
          label,
          color,
          loading: busyId === client.client_id,
          onClick: () => onAction(client, { kind: 'status', status }),
        })),
        { label: 'Rotate', color: 'orange', onClick: () => onAction(client, { kind: 'rotate' }) },
        { label: 'Delete', color: 'red', subtle: true, onClick: () => onAction(client, { kind: 'delete' }) },
      ]}
      columns={[
        { header: 'Name', cell: (client) => <ClientLink clientId={client.client_id} name={client.client_name} /> },
        { header: 'Status', cell: (client) => <StatusBadge status={client.status} /> },
        {
          header: 'Client id',
          cell: (client) => (
            <Tooltip label={client.client_id}>
              <Code>{shortId(client.client_id)}</Code>
            </Tooltip>
          ),
        },
        {
          header: 'API key',
          cell: (client) =>
            client.api_key_masked === null ? <Text c="dimmed">none</Text> : <Code>{client.api_key_masked}</Code>,
        },
        { header: 'HMAC secret', cell: (client) => <SecretCell set={client.has_shared_secret} /> },
        { header: 'Expires', testId: 'client-expiry', cell: (client) => <ExpiryCell client={client} /> },
        tracksLastUse && {
          header: 'Last used',
          testId: 'client-last-used',
          cell: (client) =>
            client.last_used_at == null ? (
              <Text size="xs" c="dimmed">
                never
              </Text>
            ) : (
              <Text size="xs">{formatTime(client.last_used_at)}</Text>
            ),
        },
        { header: 'Created', cell: (client) => <Text size="xs">{formatTime(client.created_at)}</Text> },
      ]}
    />
  )
}

/** Whether the client has an HMAC secret; `?` from a console-api that does not say. */
function SecretCell({ set }: { set: boolean | undefined }) {
  if (set === undefined) return <Text c="dimmed">?</Text>
  return (
    <Badge variant="light" color={set ? 'blue' : 'gray'}>
      {set ? 'set' : 'none'}
    </Badge>
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
