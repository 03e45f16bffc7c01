import { useBareStack } from '@gatekeeper/e2e/use-stack'
import { beforeAll, describe, expect, it } from 'vitest'
import { rawRequest } from '../src/http/raw'

// The admin API of a real console-api (over HTTP, real PostgreSQL, an admin signed in through the fake Aegis)
// fed injection strings (SQL, JSON operators, prototype pollution), wrong types, malformed and huge bodies, and
// hostile query strings and ids: always an answer in the error envelope — 400, 404, 409 or 413 — or, for a
// string that is merely odd but allowed, a 2xx that stores it verbatim. Never a 500, and the schema survives.

const stack = useBareStack()
let port: number
let token: string
let routeId: string
let clientId: string

const OK_OR_REFUSED = [200, 201, 204, 400, 404, 409, 412, 413]

/** One request per connection (an early 413 leaves the connection unusable, as it should). */
async function call(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const reply = await rawRequest({
    port,
    method,
    target: `/api/admin${path.replace(/ /g, '%20')}`,
    headers: Object.entries({
      Host: 'localhost',
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      ...headers,
    }),
    body,
    timeoutMs: 20_000,
  })
  return { status: reply.status, text: reply.body, json: parse(reply.body) }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function expectAnswered(reply: { status: number; text: string; json: unknown }, what: string) {
  expect(OK_OR_REFUSED, `${what}: ${reply.status} ${reply.text.slice(0, 300)}`).toContain(reply.status)
  if (reply.status >= 400) {
    expect(reply.json, `${what}: error envelope`).toMatchObject({ code: reply.status, error: expect.any(String) })
  }
}

beforeAll(async () => {
  port = stack.console.api.port
  token = stack.console.token
  routeId = await stack.cp.route({ pattern: '/hostile/*', methods: { GET: 'api_key' } })
  clientId = (await stack.cp.client({ name: 'hostile-target' })).id
})

const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE routes; --",
  '"; DROP TABLE clients; --',
  "x' UNION SELECT api_key_digest FROM client_credentials --",
  '$1',
  '\\x00',
  '{"$ne": null}',
  '{"$gt": ""}',
  '__proto__',
  'constructor',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, literally
  '${7*7}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '\u202e\u0635\u0648\u0631\u0629',
  'é'.repeat(150),
  'x'.repeat(5000),
]

/** Valid bodies for each write, keyed by a label; `{}` placeholders are filled per case. */
const TEMPLATES: Array<{ label: string; method: string; path: () => string; body: () => Record<string, unknown> }> = [
  {
    label: 'create route',
    method: 'POST',
    path: () => '/routes',
    body: () => ({
      route_pattern: '/inj/*',
      domain: 'api.example.com',
      service_name: 'svc',
      methods: { GET: { auth_required: false } },
    }),
  },
  { label: 'update route', method: 'PUT', path: () => `/routes/${routeId}`, body: () => ({ service_name: 'svc' }) },
  { label: 'create client', method: 'POST', path: () => '/clients', body: () => ({ client_name: 'c', api_key: true }) },
  { label: 'update client', method: 'PUT', path: () => `/clients/${clientId}`, body: () => ({ client_name: 'c' }) },
  {
    label: 'rotate',
    method: 'POST',
    path: () => `/clients/${clientId}/rotate`,
    body: () => ({ credential: 'api_key', grace_seconds: 0 }),
  },
  {
    label: 'grant',
    method: 'POST',
    path: () => '/permissions',
    body: () => ({ client_id: clientId, route_id: routeId, allowed_methods: ['GET'] }),
  },
  {
    label: 'set rate limit',
    method: 'PUT',
    path: () => `/rate-limits/${clientId}`,
    body: () => ({ requests_per_minute: 10, requests_per_day: null }),
  },
  { label: 'add admin', method: 'POST', path: () => '/admins', body: () => ({ email: 'a@example.com' }) },
  {
    label: 'create admin token',
    method: 'POST',
    path: () => '/tokens',
    body: () => ({ name: 'hostile-token', scope: 'read', expires_in_seconds: 3600 }),
  },
]

describe('the templates themselves', () => {
  // Otherwise every case below would only exercise validation of an already-invalid body.
  it.each(TEMPLATES.map((t) => [t.label, t] as const))('%s is accepted as is', async (_label, t) => {
    const reply = await call(t.method, t.path(), JSON.stringify(t.body()))
    expect([200, 201, 409], reply.text).toContain(reply.status)
  })
})

describe('injection strings in every field', () => {
  const cases = TEMPLATES.flatMap((t) =>
    Object.keys(t.body()).flatMap((field) => INJECTIONS.map((value) => [t.label, field, value, t] as const)),
  )
  it.each(cases)('%s: %s = %j', async (label, field, value, t) => {
    const reply = await call(t.method, t.path(), JSON.stringify({ ...t.body(), [field]: value }))
    expectAnswered(reply, `${label} ${field}`)
    if (reply.status === 200 || reply.status === 201) {
      // Accepted: stored as a plain value and given back as sent (trimmed), never interpreted.
      const stored = typeof reply.json === 'object' && reply.json !== null ? Reflect.get(reply.json, field) : undefined
      if (typeof stored === 'string') expect(stored).toBe(value.trim())
    }
  })
})

const WRONG_TYPES: unknown[] = [0, -1, 1.5, 2 ** 53, true, null, [], [1, 2], {}, { nested: { deep: [] } }, '', ' ']

describe('wrong types in every field', () => {
  const cases = TEMPLATES.flatMap((t) =>
    Object.keys(t.body()).flatMap((field) => WRONG_TYPES.map((value) => [t.label, field, value, t] as const)),
  )
  it.each(cases)('%s: %s = %j', async (label, field, value, t) => {
    expectAnswered(await call(t.method, t.path(), JSON.stringify({ ...t.body(), [field]: value })), `${label} ${field}`)
  })
})

describe('bodies that are not what they claim', () => {
  const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`
  const RAW: Array<[string, string | undefined, Record<string, string>?]> = [
    ['not JSON', 'not json'],
    ['empty', ''],
    ['truncated', '{"client_name":'],
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
    ['a JSON string', '"x"'],
    ['a number beyond float range', '{"client_name":"c","api_key":true,"x":1e309}'],
    ['__proto__ at the top', '{"__proto__":{"admin":true},"client_name":"proto","api_key":true}'],
    ['constructor.prototype', '{"constructor":{"prototype":{"admin":true}},"client_name":"ctor","api_key":true}'],
    ['duplicate keys', '{"client_name":"a","client_name":"b","api_key":true}'],
    ['100k nested arrays', deep],
    ['UTF-16 surrogate halves', '{"client_name":"\\ud800\\udfff\\ud800","api_key":true}'],
    ['an escaped NUL', '{"client_name":"a\\u0000b","api_key":true}'],
    ['plain text content type', '{"client_name":"c","api_key":true}', { 'Content-Type': 'text/plain' }],
    ['form content type', 'client_name=c&api_key=true', { 'Content-Type': 'application/x-www-form-urlencoded' }],
    ['no body at all', undefined],
  ]
  it.each(RAW)('POST /clients with %s', async (_name, body, headers) => {
    expectAnswered(await call('POST', '/clients', body, headers), 'POST /clients')
  })

  it.each(RAW)('POST /routes with %s', async (_name, body, headers) => {
    expectAnswered(await call('POST', '/routes', body, headers), 'POST /routes')
  })

  it('route methods keyed by __proto__ or constructor are refused', async () => {
    for (const key of ['__proto__', 'constructor', 'toString', 'get']) {
      const body = `{"route_pattern":"/proto-${key.length}/*","service_name":"s","methods":{"${key}":{"auth_required":false}}}`
      const reply = await call('POST', '/routes', body)
      expect(reply.status, `${key}: ${reply.text}`).toBe(400)
    }
  })

  it('a prototype-pollution attempt leaves no trace on later objects', async () => {
    await call('POST', '/clients', '{"__proto__":{"polluted":"yes"},"client_name":"pp","api_key":true}')
    const reply = await call('GET', '/clients')
    expect(reply.status).toBe(200)
    expect(reply.text).not.toContain('polluted')
  })
})

describe('huge payloads', () => {
  it('a body beyond 1 MiB: 413', async () => {
    const body = JSON.stringify({ client_name: 'x'.repeat(1024 * 1024 + 10), api_key: true })
    const reply = await call('POST', '/clients', body)
    expect(reply.status).toBe(413)
  })

  it('a body just under 1 MiB with an oversized field: 400', async () => {
    const body = JSON.stringify({ client_name: 'x'.repeat(900_000), api_key: true })
    expect((await call('POST', '/clients', body)).status).toBe(400)
  })

  it('10 000 methods in an array: 400', async () => {
    const body = JSON.stringify({ client_id: clientId, route_id: routeId, allowed_methods: Array(10_000).fill('GET') })
    expectAnswered(await call('POST', '/permissions', body), 'grant')
  })
})

describe('hostile query strings and ids', () => {
  it.each([
    '/routes?limit=-1',
    '/routes?limit=1e10',
    '/routes?limit=abc',
    '/routes?offset=-5',
    '/routes?limit[]=1',
    '/routes?limit=1&limit=2',
    "/permissions?client_id=' OR 1=1 --",
    '/permissions?route_id=%00',
    '/audit?since=notadate',
    '/audit?since=99999999999999999999',
    '/audit?until=-1',
    "/audit?actor=' OR ''='",
    "/audit?entity_id=x'); DROP TABLE admin_audit_log; --",
    '/audit?entity_type=__proto__',
    '/audit?action=%F0%9F%92%A5',
    `/audit?actor=${'a'.repeat(10_000)}`,
  ])('GET %s', async (path) => {
    expectAnswered(await call('GET', path), path)
  })

  it.each([
    "/routes/' OR 1=1 --",
    '/routes/00000000-0000-0000-0000-000000000000',
    '/routes/not-a-uuid',
    `/routes/${'9'.repeat(5000)}`,
    '/clients/%00',
    '/clients/..%2F..%2Froutes',
    '/rate-limits/__proto__/usage',
    "/tokens/' OR 1=1 --",
    '/tokens/00000000-0000-0000-0000-000000000000',
    '/tokens/__proto__',
  ])('GET, PUT, DELETE %s', async (path) => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const reply = await call(method, path, method === 'PUT' ? '{"service_name":"x"}' : undefined)
      expectAnswered(reply, `${method} ${path}`)
      expect(reply.status, `${method} ${path}`).not.toBe(200)
    }
  })
})

describe('control characters in filters, paging and ids: always 400', () => {
  // NUL cannot be stored or compared in Postgres text: it once reached the query and answered 500 with
  // the SQL and its parameters in the error log. Every control character is the caller's mistake.
  it.each([
    '/audit?actor=a%00b',
    '/audit?action=route.create%00',
    '/audit?entity_id=%00',
    '/audit?actor=a%0Ab',
    '/audit?action=%1B%5B31m',
    '/audit?entity_type=route%00',
    '/audit?since=1%00',
    '/audit?limit=%0910',
    '/routes?limit=1%00',
    '/routes?offset=%7F',
    '/clients?limit=%C2%85',
    '/permissions?client_id=%01',
    '/permissions?route_id=%00',
    '/rate-limits?offset=0%0D',
  ])('GET %s', async (path) => {
    const reply = await call('GET', path)
    expect(reply.status, reply.text).toBe(400)
    expect(reply.json).toMatchObject({ code: 400, error: 'validation_error' })
  })

  it.each([
    ['GET', '/routes/%00'],
    ['PUT', '/routes/a%0Ab'],
    ['DELETE', '/clients/%00'],
    ['POST', '/clients/%01/rotate'],
    ['DELETE', '/permissions/%00'],
    ['PUT', '/rate-limits/%00'],
    ['GET', '/rate-limits/%1F/usage'],
    ['DELETE', '/admins/%00'],
  ])('%s %s', async (method, path) => {
    const reply = await call(method, path, method === 'GET' || method === 'DELETE' ? undefined : '{}')
    expect(reply.status, reply.text).toBe(400)
  })
})

describe('who the bearer is', () => {
  const SAMPLE: Array<[string, string, string?]> = [
    ['GET', '/routes'],
    ['POST', '/clients', '{"client_name":"x","api_key":true}'],
    ['GET', '/admins'],
    ['GET', '/audit?limit=1'],
  ]

  it('a verified user of another Aegis site is refused (403) even with the email of a pending admin', async () => {
    const aegis = stack.console.aegis
    const foreign = aegis.addUser({ site_uuid: aegis.otherSiteId })
    expect((await call('POST', '/admins', JSON.stringify({ email: foreign.user.email }))).status).toBe(201)
    for (const [method, path, body] of SAMPLE) {
      const reply = await call(method, path, body, { Authorization: `Bearer ${foreign.token}` })
      expect(reply.status, `${method} ${path}: ${reply.text}`).toBe(403)
      expect(reply.text).toContain('another Aegis site')
    }
    const admins = (await call('GET', '/admins')).json
    expect(admins).toEqual(
      expect.arrayContaining([expect.objectContaining({ email: foreign.user.email, binding: 'pending' })]),
    )
  })

  it('an unverified user of our site does not claim a pending admin', async () => {
    const aegis = stack.console.aegis
    const unverified = aegis.addUser({ is_verified: false })
    expect((await call('POST', '/admins', JSON.stringify({ email: unverified.user.email }))).status).toBe(201)
    for (const [method, path, body] of SAMPLE) {
      const reply = await call(method, path, body, { Authorization: `Bearer ${unverified.token}` })
      expect(reply.status, `${method} ${path}`).toBe(403)
    }
  })
})

describe('hostile admin tokens', () => {
  // Anything with the admin-token prefix is decided by console-api from the database: a forged,
  // truncated or injected value is a 401 in the envelope, never a 500 and never a pass.
  it.each([
    'gka_',
    `gka_${'0'.repeat(49)}`,
    `gka_${'A'.repeat(5000)}`,
    "gka_' OR '1'='1",
    'gka_%00',
    `gka_${'é'.repeat(49)}`,
  ])('Bearer %j', async (bearer) => {
    for (const [method, path] of [
      ['GET', '/routes'],
      ['POST', '/tokens'],
    ] as const) {
      const reply = await call(method, path, '{"name":"x","scope":"write"}', { Authorization: `Bearer ${bearer}` })
      expect(reply.status, `${method} ${path}: ${reply.text.slice(0, 200)}`).toBe(401)
      expect(reply.json).toMatchObject({ code: 401, error: 'unauthorized' })
    }
  })
})

describe('afterwards', () => {
  it('the schema is intact and console-api logged no unhandled error', async () => {
    for (const path of ['/routes', '/clients', '/permissions', '/rate-limits', '/admins', '/tokens', '/audit']) {
      expect((await call('GET', path)).status, path).toBe(200)
    }
    expect(stack.console.api.process.lines.filter((line) => /unhandled error|"level":50/.test(line))).toEqual([])
  })
})
