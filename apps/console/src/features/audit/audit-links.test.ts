import { describe, expect, it } from 'vitest'
import type { LooseAuditEntry } from '../../api/lifecycle'
import { auditClientRef } from './audit-links'

const CLIENT = 'c8f090b5-1b51-4caa-89a2-9c9a082bfbea'

function entry(overrides: Partial<LooseAuditEntry>): LooseAuditEntry {
  return {
    audit_id: '1',
    at: 1_790_000_000,
    actor: 'ops@acme.test',
    actor_type: 'console_admin',
    action: 'client.update',
    entity_type: 'client',
    entity_id: CLIENT,
    before: null,
    after: null,
    request_id: null,
    ...overrides,
  }
}

describe('auditClientRef', () => {
  it('links a client entry to its client, named from the snapshot (a deleted one from before)', () => {
    expect(auditClientRef(entry({ after: { client_name: 'billing' } }))).toEqual({
      clientId: CLIENT,
      clientName: 'billing',
    })
    expect(auditClientRef(entry({ action: 'client.delete', before: { client_name: 'old' } }))).toEqual({
      clientId: CLIENT,
      clientName: 'old',
    })
  })

  it('links a rate limit to the limited client and a permission to its grantee', () => {
    expect(auditClientRef(entry({ entity_type: 'rate_limit', after: { client_name: 'billing' } }))?.clientId).toBe(
      CLIENT,
    )
    expect(
      auditClientRef(
        entry({ entity_type: 'permission', entity_id: 'p-1', after: { client_id: CLIENT, client_name: 'billing' } }),
      ),
    ).toEqual({ clientId: CLIENT, clientName: 'billing' })
  })

  it('links nothing for routes, admins, or a permission without a client in its snapshots', () => {
    expect(auditClientRef(entry({ entity_type: 'route', after: { client_name: 'x' } }))).toBeNull()
    expect(auditClientRef(entry({ entity_type: 'console_admin' }))).toBeNull()
    expect(auditClientRef(entry({ entity_type: 'permission', after: { client_id: 42 } }))).toBeNull()
  })
})
