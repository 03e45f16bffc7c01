import { createDb } from '@gatekeeper/db/client'
import type { ErrorEnvelope } from '@gatekeeper/models'
import { describe, expect, it } from 'vitest'
import { callApp, json, must, useAdminHarness } from './harness'

const { h, admin: session } = useAdminHarness()

describe('GET /api/config', () => {
  it('answers exactly {aegisApiUrl, siteName, siteDomain, localSignIn}, without auth', async () => {
    const res = await h.call('GET', '/api/config')
    expect(res.status).toBe(200)
    const body = await json(res)
    expect(Object.keys(body)).toEqual(['aegisApiUrl', 'siteName', 'siteDomain', 'localSignIn'])
    expect(body).toEqual({
      aegisApiUrl: h.aegis.url,
      siteName: 'Gatekeeper Test',
      siteDomain: 'gatekeeper.test',
      localSignIn: false,
    })
  })
})

describe('GET /health', () => {
  it('is 200 when the database answers', async () => {
    const res = await h.call('GET', '/health')
    expect(res.status).toBe(200)
    expect(await json(res)).toEqual({ status: 'ok', live: true, database: 'up', aegis: 'configured' })
  })

  it('is 503 when the database does not', async () => {
    const down = createDb('postgres://nobody@127.0.0.1:9/none', { onError: () => {} })
    try {
      const res = await callApp(h.withEnv({}, { db: down }), 'GET', '/health')
      expect(res.status).toBe(503)
      expect(await json(res)).toMatchObject({ status: 'unavailable', live: true, database: 'down' })
    } finally {
      await down.close()
    }
  })
})

describe('GET /metrics', () => {
  it('labels requests by route template, never by raw path', async () => {
    const created = await h.call('POST', '/api/admin/routes', {
      token: session.token,
      json: { route_pattern: '/metrics-test/*', service_name: 'm', methods: { GET: { auth_required: false } } },
    })
    const route = await json<{ route_id: string }>(created)
    await h.call('GET', `/api/admin/routes/${route.route_id}`, { token: session.token })
    await h.call('GET', '/no/such/path/12345')
    const res = await h.call('GET', '/metrics')
    expect(res.headers.get('content-type')).toContain('text/plain')
    const text = await res.text()
    expect(text).toContain('console_http_requests_total{route="/api/admin/routes/:route_id",method="GET",status="200"}')
    expect(text).toContain(
      'console_http_request_duration_seconds_bucket{le="0.005",route="/api/admin/routes/:route_id"',
    )
    expect(text).toContain('route="unmatched",method="GET",status="404"')
    expect(text).not.toContain(route.route_id)
    expect(text).not.toContain('12345')
    expect(text).toMatch(/console_aegis_request_duration_seconds_count\{call="me",outcome="ok"\} [1-9]/)
    expect(text).toContain('console_admin_actions_total{action="route.create"} 1')
    expect(text).toMatch(/console_admin_auth_cache_total\{result="hit"\} [1-9]/)
  })
})

describe('CORS', () => {
  const origin = 'https://console.example.com'
  const withOrigins = () => h.withEnv({ CONSOLE_ORIGINS: `${origin}, https://other.example.com` })

  it('allows the configured console origins, preflight included, without a token', async () => {
    const app = withOrigins()
    const preflight = await callApp(app, 'OPTIONS', '/api/admin/routes', {
      headers: {
        origin,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'authorization, if-match',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin)
    expect(preflight.headers.get('access-control-allow-headers')).toContain('If-Match')
    const res = await callApp(app, 'GET', '/api/config', { headers: { origin } })
    expect(res.headers.get('access-control-allow-origin')).toBe(origin)
  })

  it('allows no other origin, and none at all when CONSOLE_ORIGINS is unset', async () => {
    const res = await callApp(withOrigins(), 'GET', '/api/config', { headers: { origin: 'https://evil.example.com' } })
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
    const unset = await h.call('GET', '/api/config', { headers: { origin } })
    expect(unset.headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('OpenAPI', () => {
  it('serves an OpenAPI 3.1 document with the bearer scheme and the shared schemas', async () => {
    const doc = await json<{
      openapi: string
      components: { securitySchemes: object; schemas: Record<string, unknown> }
    }>(await h.call('GET', '/api/openapi.json'))
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.components.securitySchemes).toHaveProperty('aegisBearer')
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'Route',
        'Client',
        'ClientCreated',
        'Permission',
        'RateLimit',
        'ErrorEnvelope',
        'AuditEntry',
      ]),
    )
    expect(JSON.stringify(doc.components.schemas.Route)).toContain('"route_pattern"')
  })

  it('serves a self-contained docs page listing every operation', async () => {
    const res = await h.call('GET', '/api/docs')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'")
    const html = await res.text()
    expect(html).not.toMatch(/<script|<link|src=["']?https?:/i)
    const doc = await json<{ paths: Record<string, Record<string, unknown>> }>(await h.call('GET', '/api/openapi.json'))
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of Object.keys(item)) expect(html).toContain(`id="${method}-${path}"`)
    }
  })
})

describe('errors and limits', () => {
  it('answers an unknown path with the 404 envelope', async () => {
    const res = await h.call('GET', '/nope')
    expect(res.status).toBe(404)
    expect(await json(res)).toEqual({ code: 404, status: 'not_found', message: 'no such endpoint', error: 'not_found' })
  })

  it('bounds admin bodies at 1 MiB (413)', async () => {
    const res = await h.call('POST', '/api/admin/routes', {
      token: session.token,
      json: { service_name: 'x'.repeat(1024 * 1024 + 10) },
    })
    expect(res.status).toBe(413)
    expect((await json<ErrorEnvelope>(res)).error).toBe('payload_too_large')
  })

  it('logs an unexpected error with the request id and answers a generic 500', async () => {
    const failing = h.withEnv(
      {},
      {
        adminOps: {
          ...h.ops,
          routes: {
            ...h.ops.routes,
            list: () => Promise.reject(new Error('connection to 10.0.0.7 lost: secret detail')),
          },
        },
      },
    )
    const res = await callApp(failing, 'GET', '/api/admin/routes', {
      token: session.token,
      headers: { 'x-request-id': 'req-500-test' },
    })
    expect(res.status).toBe(500)
    const text = await res.text()
    expect(JSON.parse(text)).toEqual({ code: 500, status: 'error', message: 'internal error', error: 'internal_error' })
    expect(text).not.toContain('secret detail')
    const line = must(h.logs.find((l) => l.msg === 'unhandled error' && l.request_id === 'req-500-test'))
    expect(JSON.stringify(line)).toContain('secret detail')
  })
})

describe('request log', () => {
  it('writes one line per request with the route template, status, duration and request id', async () => {
    const res = await h.call('GET', '/api/admin/routes?limit=1', {
      token: session.token,
      headers: { 'x-request-id': 'req-log-1' },
    })
    expect(res.headers.get('x-request-id')).toBe('req-log-1')
    const lines = h.logs.filter((l) => l.request_id === 'req-log-1')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ msg: 'request', method: 'GET', route: '/api/admin/routes', status: 200 })
    expect(typeof lines[0]?.duration_ms).toBe('number')
    expect(h.rawLogs.join('')).not.toContain(session.token)
  })
})
