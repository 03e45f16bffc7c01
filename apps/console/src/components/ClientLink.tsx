import type { ClientWire } from '@gatekeeper/models'
import { Anchor, Group, type GroupProps } from '@mantine/core'
import { StatusBadge } from './StatusBadge'

/** A client's name, linked to its page (`#/clients/<id>`), where everything about it is. */
export function ClientLink({ clientId, name, size = 'sm' }: { clientId: string; name: string; size?: 'xs' | 'sm' }) {
  return (
    <Anchor href={`#/clients/${encodeURIComponent(clientId)}`} fw={500} size={size}>
      {name}
    </Anchor>
  )
}

/** A client in a list of clients: its linked name, and its status unless it is active. */
export function ClientNameCell({ client, wrap }: { client: ClientWire; wrap?: GroupProps['wrap'] }) {
  return (
    <Group gap="xs" wrap={wrap}>
      <ClientLink clientId={client.client_id} name={client.client_name} />
      {client.status !== 'active' && <StatusBadge status={client.status} />}
    </Group>
  )
}
