import { verifyAegisWebhook } from '@gatekeeper/crypto'
import { Client } from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { startFakeAegis, webhookHeaders } from '../src/aegis'
import { accepting, waitUntil } from '../src/ports'
import { createTestDatabase } from '../src/postgres'
import { PrivateRedis, pingRedis as ping } from '../src/redis'
import { startRelay } from '../src/relay'
import { placeholders, renderTemplate } from '../src/template'

// The kit's own promises, on real servers: what the suites built on it rely on.

describe('PrivateRedis and the relay', () => {
  let redis: PrivateRedis
  afterAll(async () => {
    await redis?.stop()
  })

  it('a private Redis can be killed and started again on its port', async () => {
    redis = await PrivateRedis.start()
    expect(await ping(redis.port)).toBe('PONG')
    await redis.kill()
    expect(redis.running).toBe(false)
    expect(await accepting(redis.port)).toBe(false)
    await redis.start()
    expect(await ping(redis.port)).toBe('PONG')
  })

  it('the relay forwards, counts, refuses, hangs, partitions, cuts and restores', async () => {
    const relay = await startRelay({ port: redis.port })
    try {
      expect(await ping(relay.port)).toBe('PONG')
      expect(relay.connections).toBe(1)
      relay.mode = 'refuse'
      expect(await ping(relay.port)).toBe('reset')
      relay.mode = 'blackhole'
      expect(await ping(relay.port)).toBe('timeout')
      relay.mode = 'forward'
      expect(await ping(relay.port)).toBe('PONG')
      relay.partition()
      expect(await ping(relay.port)).toBe('timeout')
      await relay.restore()
      expect(await ping(relay.port)).toBe('PONG')
      await relay.cut()
      expect(await accepting(relay.port)).toBe(false)
      await relay.restore()
      expect(await ping(relay.port)).toBe('PONG')
      expect(relay.connections).toBe(7)
    } finally {
      await relay.close()
    }
  })
})

describe('createTestDatabase', () => {
  it('makes a fresh migrated database and drops it', async () => {
    const db = await createTestDatabase()
    const client = new Client({ connectionString: db.url })
    await client.connect()
    try {
      const { rows } = await client.query<{ n: string }>(
        "SELECT count(*)::text AS n FROM pg_tables WHERE tablename = 'routes'",
      )
      expect(rows[0]?.n).toBe('1')
    } finally {
      await client.end()
    }
    await db.drop()
    const again = new Client({ connectionString: db.url })
    again.on('error', () => undefined)
    await expect(again.connect()).rejects.toThrow(/does not exist/)
  })
})

describe('the fake Aegis', () => {
  it('answers /me for its tokens, records calls, fails on demand, and signs webhooks as Aegis does', async () => {
    const aegis = await startFakeAegis()
    try {
      const { user, token } = aegis.addUser({ email: 'Someone@Example.com' })
      const me = await fetch(`${aegis.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })
      expect(await me.json()).toMatchObject({ uuid: user.uuid, email: 'someone@example.com', site_uuid: aegis.siteId })
      expect(aegis.callsTo('/api/auth/me')).toHaveLength(1)
      aegis.setMode('error')
      expect((await fetch(`${aegis.url}/api/auth/me`)).status).toBe(500)
      aegis.setMode('up')
      expect((await fetch(`${aegis.url}/api/auth/me`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401)

      const body = aegis.webhookBody('user.deleted', user)
      const headers = webhookHeaders('whsec_test', body)
      expect(headers['x-aegis-event']).toBe('user.deleted')
      const verdict = verifyAegisWebhook({
        secret: 'whsec_test',
        signatureHeader: headers['x-aegis-signature'],
        timestampHeader: headers['x-aegis-timestamp'],
        rawBody: body,
        nowSeconds: Math.floor(Date.now() / 1000),
      })
      expect(verdict.ok).toBe(true)
    } finally {
      await aegis.stop()
    }
  })
})

describe('templates and polling', () => {
  it('every placeholder gets a value and every value is used', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: nginx config text with envsubst-style placeholders
    const text = 'listen ${LISTEN}; proxy_pass http://${UPSTREAM}; set $uri_lower $uri;'
    expect(placeholders(text)).toEqual(['LISTEN', 'UPSTREAM'])
    expect(renderTemplate(text, { LISTEN: '127.0.0.1:1', UPSTREAM: 'u:2' })).toBe(
      'listen 127.0.0.1:1; proxy_pass http://u:2; set $uri_lower $uri;',
    )
    expect(() => renderTemplate(text, { LISTEN: 'x' })).toThrow(/UPSTREAM/)
    expect(() => renderTemplate(text, { LISTEN: 'x', UPSTREAM: 'y', EXTRA: 'z' })).toThrow(/EXTRA/)
  })

  it('waitUntil reports what it waited for and what describe() says', async () => {
    await expect(
      waitUntil('the impossible', async () => false, { timeoutMs: 100, describe: () => 'last seen: nothing' }),
    ).rejects.toThrow(/the impossible[\s\S]*last seen: nothing/)
  })
})
