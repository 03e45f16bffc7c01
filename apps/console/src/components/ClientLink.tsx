import { Anchor } from '@mantine/core'

/** A client's name, linked to its page (`#/clients/<id>`), where everything about it is. */
export function ClientLink({ clientId, name, size = 'sm' }: { clientId: string; name: string; size?: 'xs' | 'sm' }) {
  return (
    <Anchor href={`#/clients/${encodeURIComponent(clientId)}`} fw={500} size={size}>
      {name}
    </Anchor>
  )
}
