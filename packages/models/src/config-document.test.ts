import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { configDocumentSchema } from './config-document'
import { configSchemaPath, configSchemaText } from './config-schema-file'

describe('config document', () => {
  it('the committed JSON Schema is the one generated from the zod schemas (pnpm --filter @gatekeeper/models config-schema)', () => {
    // Compared as JSON: the repository's formatter may lay the committed file out differently.
    expect(JSON.parse(readFileSync(configSchemaPath, 'utf8'))).toEqual(JSON.parse(configSchemaText()))
  })

  it('applies the admin API defaults and canonical forms', () => {
    const doc = configDocumentSchema.parse({
      version: 1,
      routes: [
        {
          route_pattern: '/a',
          service_name: 's',
          methods: { POST: { auth_required: false }, GET: { auth_required: true, auth_type: 'hmac' } },
        },
      ],
      permissions: [{ client_name: 'c', route_pattern: '/a', allowed_methods: ['POST', 'GET', 'GET'] }],
    })
    expect(doc.routes[0]?.domain).toBe('*')
    expect(Object.keys(doc.routes[0]?.methods ?? {})).toEqual(['GET', 'POST'])
    expect(doc.permissions[0]?.allowed_methods).toEqual(['GET', 'POST'])
    expect(doc.clients).toEqual([])
  })

  it('rejects unknown keys, a wrong version, and a rate limit with no limited window', () => {
    const bad = configDocumentSchema.safeParse({
      version: 2,
      rootes: [],
      rate_limits: [{ client_name: 'c', requests_per_day: null }],
    })
    expect(bad.success).toBe(false)
    const paths = (bad.error?.issues ?? []).map((i) => i.path.join('.'))
    expect(paths).toEqual(expect.arrayContaining(['version', '', 'rate_limits.0']))
  })
})

describe('config document sections', () => {
  it('an omitted or empty (null) section means none', () => {
    const doc = configDocumentSchema.parse({ version: 1, routes: null })
    expect(doc).toEqual({ version: 1, routes: [], clients: [], permissions: [], rate_limits: [], console_admins: [] })
  })
})

describe('config document credentials', () => {
  const withCredential = (credential: Record<string, unknown>) =>
    configDocumentSchema.safeParse({ version: 1, clients: [{ client_name: 'c', credentials: [credential] }] })

  it("a credential's expires_at and ip_allowlist follow the client-level rules", () => {
    const ok = withCredential({ kind: 'api_key', expires_at: 1_861_920_000, ip_allowlist: ['2001:db8::/32'] })
    expect(ok.success && ok.data.clients[0]?.credentials[0]).toEqual({
      kind: 'api_key',
      expires_at: 1_861_920_000,
      ip_allowlist: ['2001:db8::/32'],
    })
    expect(withCredential({ kind: 'api_key', expires_at: null, ip_allowlist: null }).success).toBe(true)
    const bad = [
      { kind: 'api_key', ip_allowlist: [] },
      { kind: 'api_key', ip_allowlist: ['10.0.0.0/33'] },
      { kind: 'api_key', expires_at: -1 },
      { kind: 'api_key', expires_at: 1.5 },
      { kind: 'api_key', expires_at: 253_402_300_800 },
    ]
    for (const credential of bad) {
      const result = withCredential(credential)
      expect(result.success, JSON.stringify(credential)).toBe(false)
      expect(result.error?.issues[0]?.path.slice(0, 4)).toEqual(['clients', 0, 'credentials', 0])
    }
  })
})
