import type { ClientStatus, ClientWire } from '@gatekeeper/models'
import type { AdminApi } from '../../api/admin'

export type ClientAction = { kind: 'status'; status: ClientStatus } | { kind: 'rotate' } | { kind: 'delete' }

/** What a client's status allows next. Suspending is reversible; revoking is meant to be final. */
export function statusActions(client: ClientWire): Array<{ label: string; status: ClientStatus; color: string }> {
  switch (client.status) {
    case 'active':
      return [
        { label: 'Suspend', status: 'suspended', color: 'yellow' },
        { label: 'Revoke', status: 'revoked', color: 'red' },
      ]
    case 'suspended':
      return [
        { label: 'Activate', status: 'active', color: 'teal' },
        { label: 'Revoke', status: 'revoked', color: 'red' },
      ]
    case 'revoked':
      return [{ label: 'Reactivate', status: 'active', color: 'teal' }]
  }
}

export function confirmText(client: ClientWire, action: ClientAction): string | null {
  if (action.kind === 'delete') {
    return `Delete ${client.client_name}? Its permissions and rate limit go with it, and its credentials stop working at once.`
  }
  if (action.kind === 'status' && action.status === 'revoked') {
    return `Revoke ${client.client_name}? authz refuses every request with its credentials (403) from now on.`
  }
  if (action.kind === 'status' && action.status === 'active' && client.status === 'revoked') {
    return `Reactivate ${client.client_name}? Its existing credentials work again.`
  }
  return null
}

/** Sends a status change or a delete; a rotation has a dialog of its own and sends nothing here. */
export async function sendClientAction(admin: AdminApi, client: ClientWire, action: ClientAction): Promise<void> {
  if (action.kind === 'delete') await admin.deleteClient(client.client_id)
  if (action.kind === 'status') {
    const { version } = client
    await admin.updateClient(client.client_id, { status: action.status, ...(version === undefined ? {} : { version }) })
  }
}
