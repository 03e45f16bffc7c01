// Per-credential IP allowlists and client metadata set through the admin operations (real Postgres) reach a
// running authz by LISTEN/NOTIFY; the metadata goes out in the route's metadata header on an allow only; and
// last-used times written by authz's flush reach the admin API's client detail without announcing a config
// change.

import { readConfigVersion } from '@gatekeeper/db'
import { applyConfig, readLiveConfig } from '@gatekeeper/db/config-as-code'
import type { ConfigDocument } from '@gatekeeper/models'
import { describe, expect, it } from 'vitest'
import { ACTOR, API_KEY, bearer, eventually, original, routeWithClient, useAuthz } from './harness'

const { world, authz } = useAuthz({ TRUSTED_FORWARDER_IPS: '127.0.0.1,::1', AUTHZ_USAGE_FLUSH_INTERVAL_MS: '200' })

async function ask(headers: Record<string, string>): Promise<Response> {
  const res = await authz.authz(headers)
  await res.arrayBuffer()
  return res
}

const decision = (headers: Record<string, string>) => authz.decision(headers)

async function configVersion(): Promise<number> {
  return readConfigVersion(world.writer.db)
}

async function setup(metadataHeader: string | null = null) {
  const {
    host,
    route,
    client: created,
  } = await routeWithClient(
    world.admin,
    { route_pattern: '/v1/*', service_name: 'svc', methods: { GET: API_KEY }, metadata_header: metadataHeader },
    (host) => ({ client_name: `c-${host}`, api_key: true, metadata: { plan: 'gold', owner: 'Zoë' } }),
  )
  const detail = await world.admin.clients.get(created.client_id)
  const credentialId = detail.credentials?.[0]?.credential_id ?? ''
  const from = (ip: string) => original('GET', host, '/v1/x', { ...bearer(created), 'X-Original-Client-IP': ip })
  await eventually(async () => (await decision(from('198.51.100.20'))) === '200 authenticated', 5000)
  return { route, created, credentialId, from }
}

describe('credential lifecycle in a running authz', () => {
  it("a credential's own allowlist is enforced, follows updates and a clear, and a rotation keeps it", async () => {
    const { created, credentialId, from } = await setup()
    const updated = await world.admin.clients.updateCredential(ACTOR, created.client_id, credentialId, {
      ip_allowlist: ['198.51.100.0/24', '2001:db8:1::/48'],
    })
    expect(updated).toMatchObject({ credential_id: credentialId, ip_allowlist: ['198.51.100.0/24', '2001:db8:1::/48'] })
    await eventually(async () => (await decision(from('203.0.113.5'))) === '403 ip_not_allowed', 5000)
    expect(await decision(from('198.51.100.20'))).toBe('200 authenticated')
    expect(await decision(from('2001:db8:1::9'))).toBe('200 authenticated')

    // The client's own list narrows further: both must admit.
    await world.admin.clients.update(ACTOR, created.client_id, { ip_allowlist: ['2001:db8::/32'] })
    await eventually(async () => (await decision(from('198.51.100.20'))) === '403 ip_not_allowed', 5000)
    expect(await decision(from('2001:db8:1::9'))).toBe('200 authenticated')
    await world.admin.clients.update(ACTOR, created.client_id, { ip_allowlist: null })

    // A rotation must not widen access: the new key inherits the list.
    const rotated = await world.admin.clients.rotate(ACTOR, created.client_id, { credential: 'api_key' })
    const detail = await world.admin.clients.get(created.client_id)
    expect(detail.credentials?.map((c) => [c.state, c.ip_allowlist])).toEqual([
      ['current', ['198.51.100.0/24', '2001:db8:1::/48']],
    ])
    const host = from('1.1.1.1')['X-Original-Host']
    const newKey = (ip: string) => original('GET', host, '/v1/x', { ...bearer(rotated), 'X-Original-Client-IP': ip })
    await eventually(async () => (await decision(newKey('198.51.100.20'))) === '200 authenticated', 5000)
    expect(await decision(newKey('203.0.113.5'))).toBe('403 ip_not_allowed')

    await world.admin.clients.updateCredential(ACTOR, created.client_id, detail.credentials?.[0]?.credential_id ?? '', {
      ip_allowlist: null,
    })
    await eventually(async () => (await decision(newKey('203.0.113.5'))) === '200 authenticated', 5000)
  })

  it('a configuration file sets and clears a credential allowlist and expiry by the credential id', async () => {
    const { created, credentialId, from } = await setup()
    const clientName = (await world.admin.clients.get(created.client_id)).client_name
    const live = await readLiveConfig(world.writer.db)
    // The exported document with this client's key given a lifecycle.
    const withKey = (lifecycle: Record<string, unknown>) => {
      const { document } = structuredClone(live)
      const client = document.clients.find((c) => c.client_name === clientName)
      const credential = client?.credentials.find((c) => c.id === credentialId)
      if (credential === undefined) throw new Error('the export does not list the credential by id')
      Object.assign(credential, lifecycle)
      return document
    }
    const apply = (document: ConfigDocument) =>
      applyConfig(world.writer.db, document, { actor: ACTOR, sealer: world.sealer, prune: false })

    const narrowed = await apply(
      withKey({ ip_allowlist: ['2001:db8:1::/48', '198.51.100.0/24', '198.51.100.0/24'], expires_at: null }),
    )
    expect(narrowed.plan.changes).toEqual([
      {
        action: 'update',
        kind: 'client',
        key: clientName,
        fields: [
          {
            field: 'credentials.api_key.ip_allowlist',
            from: undefined,
            to: ['198.51.100.0/24', '2001:db8:1::/48'],
          },
        ],
      },
    ])
    await eventually(async () => (await decision(from('203.0.113.5'))) === '403 ip_not_allowed', 5000)
    expect(await decision(from('198.51.100.20'))).toBe('200 authenticated')
    const exported = (await readLiveConfig(world.writer.db)).document.clients.find((c) => c.client_name === clientName)
    expect(exported?.credentials).toEqual([
      expect.objectContaining({ id: credentialId, ip_allowlist: ['198.51.100.0/24', '2001:db8:1::/48'] }),
    ])

    // An expiry in the past from the file: refused as expired; the file without both: back to any IP, no expiry.
    await apply(withKey({ ip_allowlist: ['198.51.100.0/24'], expires_at: Math.floor(Date.now() / 1000) - 60 }))
    await eventually(async () => (await decision(from('198.51.100.20'))) === '401 credential_expired', 5000)
    await apply(withKey({}))
    await eventually(async () => (await decision(from('203.0.113.5'))) === '200 authenticated', 5000)
  })

  it('the metadata goes upstream in the route header on an allow only, and follows an update', async () => {
    const { created, from } = await setup('X-Client-Metadata')
    const res = await ask(from('198.51.100.20'))
    expect(res.status).toBe(200)
    const value = res.headers.get('x-client-metadata') ?? ''
    expect(value).toMatch(/^[\x20-\x7e]+$/)
    expect(JSON.parse(value)).toEqual({ plan: 'gold', owner: 'Zoë' })
    await world.admin.clients.update(ACTOR, created.client_id, { status: 'suspended' })
    await eventually(async () => (await decision(from('198.51.100.20'))) === '403 client_suspended', 5000)
    expect((await ask(from('198.51.100.20'))).headers.get('x-client-metadata')).toBeNull()
    await world.admin.clients.update(ACTOR, created.client_id, { status: 'active', metadata: { plan: 'silver' } })
    await eventually(
      async () => (await ask(from('198.51.100.20'))).headers.get('x-client-metadata') === '{"plan":"silver"}',
      5000,
    )
    await world.admin.clients.update(ACTOR, created.client_id, { metadata: null })
    await eventually(async () => (await ask(from('198.51.100.20'))).headers.get('x-client-metadata') === null, 5000)
  })

  it('last-used times reach the client detail without a config change notification', async () => {
    const { created, credentialId, from } = await setup()
    const before = Math.floor(Date.now() / 1000)
    expect(await decision(from('198.51.100.20'))).toBe('200 authenticated')
    await authz.server.usage?.flush()
    const versionAfterFirst = await configVersion()
    expect(await decision(from('198.51.100.20'))).toBe('200 authenticated')
    await authz.server.usage?.flush()
    expect(await configVersion()).toBe(versionAfterFirst)
    const detail = await world.admin.clients.get(created.client_id)
    const credential = detail.credentials?.find((c) => c.credential_id === credentialId)
    expect(credential?.last_used_at).toBeGreaterThanOrEqual(before)
    expect(detail.last_used_at).toBe(credential?.last_used_at)
    expect(JSON.stringify(detail)).not.toContain(created.api_key ?? 'no key')
  })
})
