import type { ClientStatus } from '@gatekeeper/models'
import { Badge } from '@mantine/core'

const COLORS: Record<ClientStatus, string> = { active: 'teal', suspended: 'yellow', revoked: 'red' }

/**
 * Never narrower than its word: a badge's label would otherwise end in an ellipsis ("AC…") whenever a
 * table column is squeezed, which is how a status went unreadable on a phone.
 */
export function StatusBadge({ status }: { status: ClientStatus }) {
  return (
    <Badge color={COLORS[status]} variant="light" miw="max-content">
      {status}
    </Badge>
  )
}
