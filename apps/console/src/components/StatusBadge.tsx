import type { ClientStatus } from '@gatekeeper/models'
import { Badge } from '@mantine/core'

const COLORS: Record<ClientStatus, string> = { active: 'teal', suspended: 'yellow', revoked: 'red' }

export function StatusBadge({ status }: { status: ClientStatus }) {
  return (
    <Badge color={COLORS[status]} variant="light">
      {status}
    </Badge>
  )
}
