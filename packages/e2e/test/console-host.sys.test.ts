import { type SendOptions, send } from '@gatekeeper/testkit/http'
import { describe, expect, it } from 'vitest'
import { CONSOLE_ASSET, CONSOLE_ASSET_TEXT, CONSOLE_INDEX } from '../src/console-dist'
import { CONSOLE_HOST } from '../src/stack'
import { useBareStack } from '../src/use-stack'

// nginx/console-host.conf: the web console's static files and console-api's /api/ under one name. The stack
// already configures everything through it (admin API with an Aegis token); this checks the rest.

const stack = useBareStack()

function get(path: string, options: Omit<SendOptions, 'port' | 'path'> = {}) {
  return send({ port: stack.console.nginx.port, path, ...options, headers: { Host: CONSOLE_HOST, ...options.headers } })
}

describe('static console', () => {
  it('serves index.html, never cached, with the security headers', async () => {
    const reply = await get('/')
    expect(reply.status).toBe(200)
    expect(reply.body).toBe(CONSOLE_INDEX)
    expect(reply.headers['cache-control']).toBe('no-cache')
    expect(reply.headers['x-frame-options']).toBe('DENY')
    expect(reply.headers['x-content-type-options']).toBe('nosniff')
    expect(reply.headers['content-security-policy']).toContain("connect-src 'self'")
    expect(reply.headers['content-security-policy']).toContain("frame-ancestors 'none'")
  })

  it('falls back to index.html for client-side routes', async () => {
    const reply = await get('/clients/3f0c1d2e/edit')
    expect(reply.status).toBe(200)
    expect(reply.body).toBe(CONSOLE_INDEX)
    expect(reply.headers['cache-control']).toBe('no-cache')
  })

  it('serves hashed assets as immutable, and a missing asset as 404 rather than the app', async () => {
    const asset = await get(`/${CONSOLE_ASSET}`)
    expect(asset.status).toBe(200)
    expect(asset.body).toBe(CONSOLE_ASSET_TEXT)
    expect(asset.headers['cache-control']).toContain('immutable')
    expect(asset.headers['x-content-type-options']).toBe('nosniff')
    expect((await get('/assets/index-00000000.js')).status).toBe(404)
  })

  it("does not expose console-api's /metrics or /health", async () => {
    for (const path of ['/metrics', '/health']) {
      const reply = await get(path)
      expect(reply.body).toBe(CONSOLE_INDEX)
    }
  })
})

describe('/api/ to console-api', () => {
  it('serves the runtime config', async () => {
    const reply = await get('/api/config')
    expect(reply.status).toBe(200)
    expect(JSON.parse(reply.body)).toMatchObject({ siteName: 'gatekeeper e2e', siteDomain: 'console.example.com' })
  })

  it('requires an admin token on the admin API, and accepts the admin the CLI added', async () => {
    expect((await get('/api/admin/routes')).status).toBe(401)
    const routeId = await stack.cp.route({ pattern: '/via-console/*', methods: { GET: 'public' } })
    const reply = await get('/api/admin/routes', { headers: { Authorization: `Bearer ${stack.console.token}` } })
    expect(reply.status).toBe(200)
    const routes: unknown = JSON.parse(reply.body)
    expect(routes).toEqual(expect.arrayContaining([expect.objectContaining({ route_id: routeId })]))
  })

  it('records admin API writes in the audit log under the signed-in admin', async () => {
    const routeId = await stack.cp.route({ pattern: '/audited/*', methods: { GET: 'public' } })
    const reply = await get(`/api/admin/audit?entity_id=${routeId}`, {
      headers: { Authorization: `Bearer ${stack.console.token}` },
    })
    expect(reply.status).toBe(200)
    const entries: unknown = JSON.parse(reply.body)
    expect(entries).toEqual([expect.objectContaining({ action: 'route.create', actor_type: 'console_admin' })])
  })
})
