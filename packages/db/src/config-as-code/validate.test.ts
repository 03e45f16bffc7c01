import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { POSITIONAL_PARSE_LIMIT_BYTES, parseConfigJson, parseConfigText } from './validate'

const VALID = `version: 1
routes:
  - domain: api.example.com
    route_pattern: /v1/orders/*
    service_name: orders
    methods:
      GET: { auth_required: true, auth_type: api_key }
      POST: { auth_required: true, auth_type: hmac }
clients:
  - client_name: billing
    credentials:
      - kind: api_key
permissions:
  - client_name: billing
    domain: api.example.com
    route_pattern: /v1/orders/*
    allowed_methods: [GET]
rate_limits:
  - client_name: billing
    requests_per_minute: 100
console_admins:
  - email: Ops@Example.com
`

function problemsOf(text: string) {
  const parsed = parseConfigText(text)
  if (parsed.ok) throw new Error('expected problems')
  return parsed.problems
}

describe('parseConfigText', () => {
  it('accepts a valid file and applies the API defaults', () => {
    const parsed = parseConfigText(VALID)
    expect(parsed.ok).toBe(true)
    if (!parsed.ok) return
    expect(parsed.document.clients[0]?.status).toBe('active')
    expect(parsed.document.console_admins[0]?.email).toBe('ops@example.com')
  })

  it('reads JSON too', () => {
    const parsed = parseConfigText(JSON.stringify({ version: 1, console_admins: [{ email: 'a@example.com' }] }))
    expect(parsed.ok).toBe(true)
  })

  it('gives JSON files line numbers too', () => {
    const text = JSON.stringify({ version: 1, clients: [{ client_name: 'a' }, { client_name: 'a' }] }, null, 2)
    expect(problemsOf(text)).toEqual([expect.objectContaining({ path: 'clients[1]', line: 7 })])
  })

  it("reads a client's expires_at and ip_allowlist, and points at a bad allowlist entry", () => {
    const withFields = VALID.replace(
      '  - client_name: billing\n',
      '  - client_name: billing\n    expires_at: 1900000000\n    ip_allowlist: [10.0.0.0/8, 203.0.113.7]\n',
    )
    const parsed = parseConfigText(withFields)
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
    expect(parsed.document.clients[0]).toMatchObject({
      expires_at: 1_900_000_000,
      ip_allowlist: ['10.0.0.0/8', '203.0.113.7'],
    })
    expect(problemsOf(withFields.replace('203.0.113.7', 'not-an-ip'))).toEqual([
      expect.objectContaining({
        path: 'clients[0].ip_allowlist[1]',
        line: 12,
        column: 32,
        message: expect.stringMatching(/not-an-ip/),
      }),
    ])
    expect(problemsOf(withFields.replace('[10.0.0.0/8, 203.0.113.7]', '[]'))).toEqual([
      expect.objectContaining({ path: 'clients[0].ip_allowlist', line: 12 }),
    ])
  })

  it('points a schema error at its path and line', () => {
    const text = VALID.replace('auth_type: hmac', 'auth_type: basic')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        path: 'routes[0].methods.POST.auth_type',
        line: 8,
        message: expect.stringMatching(/api_key, hmac/),
      }),
    ])
  })

  it('names a misspelt key at the key line', () => {
    const text = VALID.replace('    service_name: orders', '    service_name: orders\n    servce: x')
    expect(problemsOf(text)).toEqual([expect.objectContaining({ path: 'routes[0].servce', line: 6, column: 5 })])
  })

  it('a missing required field points at its object', () => {
    const text = VALID.replace('    service_name: orders\n', '')
    expect(problemsOf(text)).toEqual([expect.objectContaining({ path: 'routes[0].service_name', line: 3 })])
  })

  it('reports a duplicate YAML key with its line', () => {
    const text = VALID.replace('    service_name: orders', '    service_name: orders\n    service_name: again')
    const [problem] = problemsOf(text)
    expect(problem).toMatchObject({ path: '(syntax)', line: 6 })
    expect(problem?.message).toMatch(/unique/i)
  })

  it('checks references: unknown client, unknown route, methods not on the route', () => {
    const text = VALID.replace(
      'permissions:\n',
      `permissions:
  - client_name: nobody
    domain: api.example.com
    route_pattern: /v1/orders/*
    allowed_methods: [GET]
  - client_name: billing
    route_pattern: /v2/missing
    allowed_methods: [GET]
  - client_name: billing
    domain: api.example.com
    route_pattern: /v1/orders/*
    allowed_methods: [DELETE, GET]
`,
    )
    expect(problemsOf(text).map((p) => [p.path, p.line, p.message])).toEqual([
      ['permissions[0].client_name', 14, 'no client named "nobody" in clients'],
      ['permissions[1].route_pattern', 19, 'no route /v2/missing on domain * in routes'],
      [
        'permissions[2].allowed_methods',
        24,
        'DELETE not configured on route api.example.com /v1/orders/* (it has GET, POST)',
      ],
      ['permissions[3]', 25, 'duplicate permission: the same client and route (first at permissions[2])'],
    ])
  })

  it('finds duplicate names, rate limits of unknown clients and repeated credentials', () => {
    const text = `version: 1
clients:
  - client_name: a
    credentials: [{ kind: api_key }, { kind: api_key }]
  - client_name: a
rate_limits:
  - client_name: b
    requests_per_day: 5
console_admins:
  - email: x@example.com
  - email: X@example.com
`
    expect(problemsOf(text).map((p) => [p.path, p.line])).toEqual([
      ['clients[0].credentials[1]', 4],
      ['clients[1]', 5],
      ['rate_limits[0].client_name', 7],
      ['console_admins[1]', 11],
    ])
  })

  it('an empty file and a file that is not a mapping are errors, not crashes', () => {
    expect(problemsOf('')[0]?.message).toBe('the file is empty')
    expect(problemsOf('- 1\n- 2\n')[0]).toMatchObject({ path: '(document)', line: 1 })
    expect(problemsOf('version: [\n')[0]).toMatchObject({ path: '(syntax)' })
  })

  it('a value JSON cannot hold (.inf, .nan, !!binary, !!set) is a problem at its place, not stored as something else', () => {
    const client = (metadata: string) =>
      `version: 1\nclients:\n  - client_name: a\n    credentials: []\n    metadata: { n: ${metadata} }\n`
    expect(problemsOf(client('1e400'))).toEqual([
      {
        path: 'clients[0].metadata.n',
        line: 5,
        column: 20,
        message: 'Infinity is not a number JSON can hold (a finite number is)',
      },
    ])
    expect(problemsOf(client('.nan'))[0]?.message).toBe('NaN is not a number JSON can hold (a finite number is)')
    expect(problemsOf(client('!!binary aGVsbG8='))[0]).toMatchObject({
      path: 'clients[0].metadata.n',
      message: expect.stringContaining('a YAML-only value ('),
    })
    expect(problemsOf(client('!!set { x }'))[0]?.message).toContain('a YAML-only value (Set')
    const fine = parseConfigText(client('{ a: [1.5, -0, 0x10, "x", true, null] }'))
    expect(fine.ok && fine.document.clients[0]?.metadata).toEqual({ n: { a: [1.5, -0, 16, 'x', true, null] } })
  })

  it('a file of another format version, or without one, says which version this program reads', () => {
    expect(problemsOf('version: 2\n')).toEqual([
      {
        path: 'version',
        line: 1,
        column: 10,
        message: 'format version 2 is not supported: this gatekeeper reads version 1 (the number, not a string)',
      },
    ])
    expect(problemsOf('version: "1"\n')[0]?.message).toContain('format version "1" is not supported')
    expect(problemsOf('routes: []\n')[0]).toMatchObject({
      path: 'version',
      message: "required: the file's format version (version: 1)",
    })
  })
})

describe('parseConfigJson', () => {
  const validJson = JSON.stringify(parse(VALID), null, 2)
  /** A valid file past the positional reader's limit: many more clients. */
  const largeJson = (() => {
    const doc = parse(VALID) as { clients: unknown[] }
    const count = POSITIONAL_PARSE_LIMIT_BYTES / 100
    for (let i = 0; i < count; i++) doc.clients.push({ client_name: `pad-${i}`, credentials: [{ kind: 'api_key' }] })
    return JSON.stringify(doc, null, 2)
  })()

  it('reads a valid file as parseConfigText does', () => {
    expect(parseConfigJson(validJson)).toEqual(parseConfigText(validJson))
    expect(parseConfigJson(largeJson).ok).toBe(true)
  })

  it('a small file with problems has them with line and column, as parseConfigText gives them', () => {
    for (const text of [
      validJson.replace('"kind": "api_key"', '"kind": "nope"'),
      validJson.replace('"version": 1,', '"version": 1, "version": 1,'),
      validJson.replace('"version": 1,', '"version": 1e999,'),
      '{ "version": 1, ',
      'null',
    ]) {
      expect(parseConfigJson(text)).toEqual(parseConfigText(text))
    }
  })

  it('a large file with problems has them by path, without reading it positionally', () => {
    const unknownClient = largeJson.replace(
      /"client_name": "billing",\n(\s+)"domain"/,
      '"client_name": "nobody",\n$1"domain"',
    )
    expect(parseConfigJson(unknownClient)).toEqual({
      ok: false,
      problems: [
        {
          path: 'permissions[0].client_name',
          line: null,
          column: null,
          message: 'no client named "nobody" in clients',
        },
      ],
    })
    const duplicate = largeJson.replace('"service_name": "orders"', '"service_name": "orders", "service_name": "x"')
    expect(parseConfigJson(duplicate)).toEqual({
      ok: false,
      problems: [{ path: 'routes[0].service_name', line: null, column: null, message: 'duplicate key "service_name"' }],
    })
    const escapedDuplicate = largeJson.replace('"version": 1,', '"version": 1, "ver\\u0073ion": 1,')
    expect(parseConfigJson(escapedDuplicate).ok).toBe(false)
    const broken = `${largeJson},`
    expect(parseConfigJson(broken)).toEqual({
      ok: false,
      problems: [{ path: '(syntax)', line: null, column: null, message: expect.stringContaining('not valid JSON') }],
    })
  })
})
