import type { LooseAuditEntry } from '../../api/lifecycle'

export type ClientRef = { clientId: string; clientName: string | null }

function field(snapshot: unknown, name: string): string | null {
  if (typeof snapshot !== 'object' || snapshot === null || !(name in snapshot)) return null
  const value = (snapshot as Record<string, unknown>)[name]
  return typeof value === 'string' && value !== '' ? value : null
}

/**
 * The client an audit entry is about, to link to its page: the entity itself for a client, the limited client
 * for a rate limit (keyed by the client's id), the grantee for a permission. Names come from the entry's
 * after (or before) snapshot, so a since-deleted client still shows the name it had.
 */
export function auditClientRef(entry: LooseAuditEntry): ClientRef | null {
  const name = field(entry.after, 'client_name') ?? field(entry.before, 'client_name')
  if (entry.entity_type === 'client' || entry.entity_type === 'rate_limit') {
    return { clientId: entry.entity_id, clientName: name }
  }
  const clientId = field(entry.after, 'client_id') ?? field(entry.before, 'client_id')
  if (entry.entity_type === 'permission' && clientId !== null) return { clientId, clientName: name }
  return null
}
