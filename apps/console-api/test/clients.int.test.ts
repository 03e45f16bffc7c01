import { randomUUID } from 'node:crypto'
import type {
  AuditEntryWire,
  ClientCreatedWire,
  ClientDetailWire,
  ClientUsageWire,
  ClientWire,
  CredentialWire,
  ErrorEnvelope,
} from '@gatekeeper/models'
import { CLIENT_ADDITIVE_KEYS, CLIENT_KEYS, CREDENTIAL_KEYS } from '@gatekeeper/models/testing'
import { describe, expect, it } from 'vitest'
import { json, must, useAdminHarness } from './harness'

const { h, admin: session } = useAdminHarness()

type Rotated = ClientCreatedWire & { previous_expires_at: number | null }

async function createClient(body: Record<string, unknown> = {}) {
  const res = await h.call('POST', '/api/admin/clients', {
    token: session.token,
    json: { client_name: `client-${randomUUID().slice(0, 8)}`, api_key: true, ...body },
  })
  expect(res.status).toBe(201)
  return { res, client: await json<ClientCreatedWire & { version: number }>(res) }
}

/** Everything a consumer could read back about clients, as one string. */
async function everythingReadable(clientId: string): Promise<string> {
  const reads = [
    '/api/admin/clients',
    `/api/admin/clients/${clientId}`,
    `/api/admin/audit?entity_id=${clientId}`,
    '/api/admin/permissions',
    '/api/admin/rate-limits',
  ]
  const bodies = await Promise.all(
    reads.map(async (path) => (await h.call('GET', path, { token: session.token })).text()),
  )
  return bodies.join('\n') + h.rawLogs.join('')
}

describe('clients', () => {
  it('returns raw credentials once on create (no-store), never again', async () => {
    const { res, client } = await createClient({ shared_secret: true })
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(Object.keys(client).slice(0, CLIENT_KEYS.length)).toEqual(CLIENT_KEYS)
    const apiKey = must(client.api_key, 'api_key')
    const secret = must(client.shared_secret, 'shared_secret')
    expect(client.api_key_masked).toMatch(new RegExp(`…${apiKey.slice(-4)}$`))
    const readable = await everythingReadable(client.client_id)
    expect(readable).not.toContain(apiKey)
    expect(readable).not.toContain(secret)
  })

  it('lists clients in the compatible shape without any credential', async () => {
    const { client } = await createClient()
    const list = await json<ClientWire[]>(await h.call('GET', '/api/admin/clients', { token: session.token }))
    const listed = must(list.find((c) => c.client_id === client.client_id))
    expect(Object.keys(listed).slice(0, CLIENT_KEYS.length)).toEqual(CLIENT_KEYS)
    expect(listed).not.toHaveProperty('api_key')
    expect(listed).not.toHaveProperty('shared_secret')
    expect(listed.status).toBe('active')
  })

  it('validates the create body (at least one credential, known status)', async () => {
    const none = await h.call('POST', '/api/admin/clients', { token: session.token, json: { client_name: 'x' } })
    expect(none.status).toBe(400)
    const bad = await h.call('POST', '/api/admin/clients', {
      token: session.token,
      json: { client_name: '', status: 'paused', api_key: 'yes' },
    })
    expect(bad.status).toBe(400)
    const paths = must((await json<ErrorEnvelope>(bad)).details).map((d) => d.path)
    expect(paths).toEqual(expect.arrayContaining(['client_name', 'status', 'api_key']))
  })

  it('reads one client with an ETag; unknown and malformed ids are 404', async () => {
    const { client } = await createClient()
    const res = await h.call('GET', `/api/admin/clients/${client.client_id}`, { token: session.token })
    expect(res.status).toBe(200)
    expect(res.headers.get('etag')).toBe(`"${client.version}"`)
    expect((await json<ClientWire>(res)).client_name).toBe(client.client_name)
    for (const id of [randomUUID(), 'nope']) {
      expect((await h.call('GET', `/api/admin/clients/${id}`, { token: session.token })).status).toBe(404)
    }
  })

  it('renames and suspends with If-Match; a stale version is 412', async () => {
    const { client } = await createClient()
    const path = `/api/admin/clients/${client.client_id}`
    const ok = await h.call('PUT', path, {
      token: session.token,
      json: { status: 'suspended' },
      headers: { 'if-match': `"${client.version}"` },
    })
    expect(ok.status).toBe(200)
    expect((await json<ClientWire>(ok)).status).toBe('suspended')
    const stale = await h.call('PUT', path, {
      token: session.token,
      json: { client_name: 'y', version: client.version },
    })
    expect(stale.status).toBe(412)
    const invalid = await h.call('PUT', path, { token: session.token, json: { status: 'deleted' } })
    expect(invalid.status).toBe(400)
  })

  it('rotates the API key: the new value once, the old one listed as expiring', async () => {
    const { client } = await createClient()
    const path = `/api/admin/clients/${client.client_id}/rotate`
    const res = await h.call('POST', path, {
      token: session.token,
      json: { credential: 'api_key', grace_seconds: 300 },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const rotated = await json<Rotated>(res)
    expect(Object.keys(rotated).slice(0, CLIENT_KEYS.length)).toEqual(CLIENT_KEYS)
    const newKey = must(rotated.api_key)
    expect(newKey).not.toBe(client.api_key)
    expect(rotated.previous_expires_at).toBeGreaterThan(Math.floor(Date.now() / 1000) + 250)
    expect(rotated.api_key_masked).toMatch(new RegExp(`…${newKey.slice(-4)}$`))
    expect(await everythingReadable(client.client_id)).not.toContain(newKey)
  })

  it('expires_at: additive after the documented keys, set on create and rotate, set and cleared by PUT', async () => {
    const at = Math.floor(Date.now() / 1000) + 86_400
    const { client } = await createClient({ shared_secret: true, expires_at: at, credentials_expire_at: at - 60 })
    const additive = CLIENT_ADDITIVE_KEYS
    expect(Object.keys(client)).toEqual([...CLIENT_KEYS, 'api_key', 'shared_secret', ...additive])
    expect(client).toMatchObject({ expires_at: at, api_key_expires_at: at - 60, shared_secret_expires_at: at - 60 })
    const path = `/api/admin/clients/${client.client_id}`
    const read = await json<ClientWire>(await h.call('GET', path, { token: session.token }))
    expect(Object.keys(read)).toEqual([...CLIENT_KEYS, ...additive, 'credentials'])

    const cleared = await h.call('PUT', path, {
      token: session.token,
      json: { expires_at: null, shared_secret_expires_at: null },
    })
    expect(cleared.status).toBe(200)
    expect(await json<ClientWire>(cleared)).toMatchObject({
      expires_at: null,
      api_key_expires_at: at - 60,
      shared_secret_expires_at: null,
    })
    expect((await h.call('PUT', path, { token: session.token, json: { expires_at: 'friday' } })).status).toBe(400)

    const rotated = await h.call('POST', `${path}/rotate`, {
      token: session.token,
      json: { credential: 'api_key', expires_at: at },
    })
    const body = await json<Rotated>(rotated)
    expect(Object.keys(body)).toEqual([...CLIENT_KEYS, 'api_key', ...additive, 'previous_expires_at'])
    expect(body.api_key_expires_at).toBe(at)

    const secretOnly = (await createClient({ api_key: false, shared_secret: true })).client
    const missing = await h.call('PUT', `/api/admin/clients/${secretOnly.client_id}`, {
      token: session.token,
      json: { api_key_expires_at: at },
    })
    expect(missing.status).toBe(404)
  })

  it('ip_allowlist: set on create, replaced and cleared by PUT, a bad CIDR or an empty list is a 400', async () => {
    const { client } = await createClient({ ip_allowlist: ['10.0.0.0/8', '2001:db8::/32'] })
    expect(client.ip_allowlist).toEqual(['10.0.0.0/8', '2001:db8::/32'])
    const path = `/api/admin/clients/${client.client_id}`
    expect((await json<ClientWire>(await h.call('GET', path, { token: session.token }))).ip_allowlist).toEqual([
      '10.0.0.0/8',
      '2001:db8::/32',
    ])
    const replaced = await h.call('PUT', path, { token: session.token, json: { ip_allowlist: ['203.0.113.7'] } })
    expect(replaced.status).toBe(200)
    expect((await json<ClientWire>(replaced)).ip_allowlist).toEqual(['203.0.113.7'])

    for (const bad of [['10.0.0.0/33'], ['203.0.113.7', 'office'], ['2001:db8::/129'], [], '10.0.0.0/8']) {
      const res = await h.call('PUT', path, { token: session.token, json: { ip_allowlist: bad } })
      expect(res.status).toBe(400)
      const paths = must((await json<ErrorEnvelope>(res)).details).map((d) => d.path)
      expect(paths.every((p) => p.startsWith('ip_allowlist'))).toBe(true)
    }
    const badCreate = await h.call('POST', '/api/admin/clients', {
      token: session.token,
      json: { client_name: `c-${randomUUID()}`, api_key: true, ip_allowlist: ['1.2.3.4/40'] },
    })
    expect(badCreate.status).toBe(400)
    // The refused writes changed nothing.
    expect((await json<ClientWire>(await h.call('GET', path, { token: session.token }))).ip_allowlist).toEqual([
      '203.0.113.7',
    ])

    const cleared = await h.call('PUT', path, { token: session.token, json: { ip_allowlist: null } })
    expect((await json<ClientWire>(cleared)).ip_allowlist).toBeNull()
    expect((await createClient()).client.ip_allowlist).toBeNull()
  })

  it('the detail lists credentials in the console shape; PUT on one credential sets and clears expiry and allowlist', async () => {
    const { client } = await createClient({ shared_secret: true, metadata: { plan: 'gold' } })
    const path = `/api/admin/clients/${client.client_id}`
    const detail = await json<ClientDetailWire>(await h.call('GET', path, { token: session.token }))
    expect(detail).toMatchObject({ metadata: { plan: 'gold' }, last_used_at: null })
    const credentials = must(detail.credentials, 'credentials')
    expect(credentials.map((c) => Object.keys(c))).toEqual([CREDENTIAL_KEYS, CREDENTIAL_KEYS])
    expect(credentials.map((c) => [c.kind, c.state, c.last_used_at, c.ip_allowlist])).toEqual([
      ['api_key', 'current', null, null],
      ['shared_secret', 'current', null, null],
    ])
    expect(credentials[0]?.prefix).toBe(client.api_key?.slice(0, 7))
    expect(JSON.stringify(detail)).not.toContain(must(client.shared_secret, 'secret'))

    const keyId = must(credentials[0], 'key').credential_id
    const at = Math.floor(Date.now() / 1000) + 3600
    const credPath = `${path}/credentials/${keyId}`
    const put = await h.call('PUT', credPath, {
      token: session.token,
      json: { expires_at: at, ip_allowlist: ['192.0.2.0/24'] },
    })
    expect(put.status).toBe(200)
    expect(await json<CredentialWire>(put)).toMatchObject({
      credential_id: keyId,
      expires_at: at,
      ip_allowlist: ['192.0.2.0/24'],
    })
    const after = await json<ClientDetailWire>(await h.call('GET', path, { token: session.token }))
    expect(after.credentials?.[0]).toMatchObject({ expires_at: at, ip_allowlist: ['192.0.2.0/24'] })
    expect(after.api_key_expires_at).toBe(at)
    const cleared = await h.call('PUT', credPath, {
      token: session.token,
      json: { expires_at: null, ip_allowlist: null },
    })
    expect(await json<CredentialWire>(cleared)).toMatchObject({ expires_at: null, ip_allowlist: null })

    for (const bad of [{}, { ip_allowlist: ['nope'] }, { ip_allowlist: [] }, { expires_at: 'soon' }]) {
      const res = await h.call('PUT', credPath, { token: session.token, json: bad })
      expect(res.status, JSON.stringify(bad)).toBe(400)
    }
    expect(
      (await h.call('PUT', `${path}/credentials/${randomUUID()}`, { token: session.token, json: { expires_at: null } }))
        .status,
    ).toBe(404)
    const other = (await createClient()).client
    const foreign = await h.call('PUT', `/api/admin/clients/${other.client_id}/credentials/${keyId}`, {
      token: session.token,
      json: { expires_at: null },
    })
    expect(foreign.status).toBe(404)
  })

  it('metadata: set by POST and PUT, a 400 that says why when it is not a small object', async () => {
    const { client } = await createClient({ metadata: { team: 'billing' } })
    const path = `/api/admin/clients/${client.client_id}`
    const put = await h.call('PUT', path, { token: session.token, json: { metadata: { team: 'ops', tier: 2 } } })
    expect((await json<ClientWire>(put)).metadata).toEqual({ team: 'ops', tier: 2 })
    const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]))
    for (const [metadata, message] of [
      [[1], /JSON object/],
      [tooMany, /at most 50/],
      [{ big: 'x'.repeat(5000) }, /at most 4096/],
    ] as const) {
      const res = await h.call('PUT', path, { token: session.token, json: { metadata } })
      expect(res.status).toBe(400)
      expect((await json<ErrorEnvelope>(res)).message).toMatch(message)
    }
  })

  it('usage: zero-filled buckets in the console shape; a bad window is 400, an unknown client 404', async () => {
    const { client } = await createClient()
    const path = `/api/admin/clients/${client.client_id}/usage`
    const day = await json<ClientUsageWire>(await h.call('GET', path, { token: session.token }))
    expect(Object.keys(day)).toEqual(['client_id', 'window', 'bucket_seconds', 'buckets', 'totals'])
    expect(day).toMatchObject({ client_id: client.client_id, window: '24h', bucket_seconds: 3600 })
    expect(day.buckets).toHaveLength(24)
    expect(day.buckets[0]).toEqual({
      start: day.buckets[0]?.start,
      allowed: 0,
      refused: 0,
      rate_limited: 0,
      refused_by_reason: {},
    })
    expect(day.totals).toEqual({ allowed: 0, refused: 0, rate_limited: 0 })
    const month = await json<ClientUsageWire>(await h.call('GET', `${path}?window=30d`, { token: session.token }))
    expect(month).toMatchObject({ window: '30d', bucket_seconds: 86_400 })
    expect(month.buckets).toHaveLength(30)
    expect((await h.call('GET', `${path}?window=7d`, { token: session.token })).status).toBe(400)
    expect((await h.call('GET', `/api/admin/clients/${randomUUID()}/usage`, { token: session.token })).status).toBe(404)
  })

  it('unused_for filters the list; a malformed span is 400', async () => {
    const { client } = await createClient()
    const unused = await json<ClientWire[]>(
      await h.call('GET', '/api/admin/clients?unused_for=90d', { token: session.token }),
    )
    // Created just now: not unused for 90 days yet, whatever it did since.
    expect(unused.map((c) => c.client_id)).not.toContain(client.client_id)
    expect((await h.call('GET', '/api/admin/clients?unused_for=soon', { token: session.token })).status).toBe(400)
  })

  it('rotates a shared secret; rotation validates its body and 404s unknown clients', async () => {
    const { client } = await createClient({ shared_secret: true })
    const path = `/api/admin/clients/${client.client_id}/rotate`
    const rotated = await json<Rotated>(
      await h.call('POST', path, { token: session.token, json: { credential: 'shared_secret' } }),
    )
    expect(rotated.shared_secret).toBeDefined()
    expect(rotated.shared_secret).not.toBe(client.shared_secret)
    expect(rotated.api_key).toBeUndefined()
    expect((await h.call('POST', path, { token: session.token, json: { credential: 'password' } })).status).toBe(400)
    expect(
      (await h.call('POST', path, { token: session.token, json: { credential: 'api_key', grace_seconds: -1 } })).status,
    ).toBe(400)
    const missing = `/api/admin/clients/${randomUUID()}/rotate`
    expect((await h.call('POST', missing, { token: session.token, json: { credential: 'api_key' } })).status).toBe(404)
  })

  it('deletes with 204, says what cascaded, and audits every write without raw credentials', async () => {
    const { client } = await createClient({ shared_secret: true })
    const path = `/api/admin/clients/${client.client_id}`
    await h.call('PUT', path, { token: session.token, json: { client_name: 'renamed' } })
    await h.call('POST', `${path}/rotate`, { token: session.token, json: { credential: 'api_key' } })
    await h.call('PUT', `/api/admin/rate-limits/${client.client_id}`, {
      token: session.token,
      json: { requests_per_minute: 5 },
    })
    const res = await h.call('DELETE', path, { token: session.token })
    expect(res.status).toBe(204)
    expect(await res.text()).toBe('')
    expect(res.headers.get('gatekeeper-cascaded')).toContain('rate_limit=1')
    expect((await h.call('GET', path, { token: session.token })).status).toBe(404)

    const audit = await json<AuditEntryWire[]>(
      await h.call('GET', `/api/admin/audit?entity_type=client&entity_id=${client.client_id}`, {
        token: session.token,
      }),
    )
    expect(audit.map((a) => a.action)).toEqual([
      'client.delete',
      'client.rotate_api_key',
      'client.update',
      'client.create',
    ])
    const text = JSON.stringify(audit)
    expect(text).not.toContain(must(client.api_key))
    expect(text).not.toContain(must(client.shared_secret))
  })
})
