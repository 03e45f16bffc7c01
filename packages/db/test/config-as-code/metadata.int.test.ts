import { type ConfigDocument, configDocumentSchema } from '@gatekeeper/models'
import { describe, expect, it } from 'vitest'
import { applyConfig } from '../../src/config-as-code/apply'
import { readLiveConfig } from '../../src/config-as-code/live'
import { serializeConfig } from '../../src/config-as-code/serialize'
import { parseConfigText } from '../../src/config-as-code/validate'
import { useAdminTestContext } from '../admin-support'

// Client metadata and a route's metadata header through configuration as code: applied, exported, planned
// unchanged on a second run, and removed when the file leaves them out.

const actor = { actor: 'ops@example.com', actorType: 'cli' as const }
const t = useAdminTestContext()

function doc(withMetadata: boolean): ConfigDocument {
  return configDocumentSchema.parse({
    version: 1,
    routes: [
      {
        domain: 'api.example.com',
        route_pattern: '/orders/*',
        service_name: 'orders',
        methods: { GET: { auth_required: true, auth_type: 'api_key' } },
        ...(withMetadata ? { metadata_header: 'X-Client-Metadata' } : {}),
      },
    ],
    clients: [
      {
        client_name: 'billing',
        credentials: [{ kind: 'api_key' }],
        ...(withMetadata ? { metadata: { plan: 'gold', limits: { seats: 5 } } } : {}),
      },
    ],
  })
}

describe('config as code: metadata', () => {
  it('applies, exports and plans metadata and metadata_header; a file without them clears them', async () => {
    const applied = await applyConfig(t.handle.db, doc(true), { actor, sealer: t.sealer, prune: false })
    expect(applied.applied).toBe(true)
    const [client] = await t.ops.clients.list()
    expect(client?.metadata).toEqual({ plan: 'gold', limits: { seats: 5 } })
    const [route] = await t.ops.routes.list()
    expect(route?.metadata_header).toBe('X-Client-Metadata')

    const live = await readLiveConfig(t.handle.db)
    const text = serializeConfig(live.document, 'yaml')
    expect(text).toContain('metadata_header: X-Client-Metadata')
    expect(text).toContain('seats: 5')
    const reparsed = parseConfigText(text)
    if (!reparsed.ok) throw new Error('export did not read back')
    const again = await applyConfig(t.handle.db, reparsed.document, { actor, sealer: t.sealer, prune: false })
    expect(again.plan.changes).toEqual([])

    const cleared = await applyConfig(t.handle.db, doc(false), { actor, sealer: t.sealer, prune: false })
    expect(cleared.plan.changes.map((c) => [c.kind, c.fields.map((f) => f.field)])).toEqual([
      ['route', ['metadata_header']],
      ['client', ['metadata']],
    ])
    expect((await t.ops.clients.list())[0]?.metadata).toBeNull()
    expect((await t.ops.routes.list())[0]?.metadata_header).toBeNull()
  })
})
