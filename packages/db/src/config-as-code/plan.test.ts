import { type ConfigDocument, configDocumentSchema } from '@gatekeeper/models'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ORDERS_ROUTE } from '../../test/config-as-code/documents'
import { documentArb } from './arbitraries'
import { planConfig, planCounts } from './plan'
import { renderPlan } from './render'
import { serializeConfig } from './serialize'
import { parseConfigText } from './validate'

function doc(input: unknown): ConfigDocument {
  return configDocumentSchema.parse(input)
}

const LIVE = doc({
  version: 1,
  routes: [
    ORDERS_ROUTE,
    { domain: '*', route_pattern: '/old', service_name: 'legacy', methods: { GET: { auth_required: false } } },
  ],
  clients: [
    {
      client_name: 'billing',
      credentials: [{ kind: 'api_key', id: '0b6f3c1e-1d2a-4c3b-9e8f-7a6b5c4d3e2f', prefix: 'gk_AbCd' }],
    },
    { client_name: 'retired', credentials: [{ kind: 'shared_secret', id: '1b6f3c1e-1d2a-4c3b-9e8f-7a6b5c4d3e2f' }] },
  ],
  permissions: [
    { client_name: 'billing', domain: 'api.example.com', route_pattern: '/orders/*', allowed_methods: ['GET'] },
    { client_name: 'retired', domain: '*', route_pattern: '/old', allowed_methods: ['GET'] },
  ],
  rate_limits: [{ client_name: 'billing', requests_per_minute: 100 }],
  console_admins: [{ email: 'ops@example.com' }],
})

describe('planConfig', () => {
  it('the same state in another order plans nothing', () => {
    const shuffled = { ...LIVE, routes: [...LIVE.routes].reverse(), clients: [...LIVE.clients].reverse() }
    const plan = planConfig(LIVE, shuffled, { prune: true })
    expect(plan.changes).toEqual([])
    expect(renderPlan(plan)).toEqual(['No changes: the live configuration matches the file.'])
  })

  it('updates field by field, creates, and without prune keeps what the file does not name', () => {
    const desired = doc({
      version: 1,
      routes: [
        {
          domain: 'api.example.com',
          route_pattern: '/orders/*',
          service_name: 'orders-v2',
          methods: {
            GET: { auth_required: true, auth_type: 'hmac' },
            DELETE: { auth_required: true, auth_type: 'hmac' },
          },
        },
      ],
      clients: [
        { client_name: 'billing', status: 'suspended' },
        { client_name: 'new', credentials: [{ kind: 'api_key' }] },
      ],
      permissions: [
        {
          client_name: 'billing',
          domain: 'api.example.com',
          route_pattern: '/orders/*',
          allowed_methods: ['GET', 'DELETE'],
        },
      ],
      rate_limits: [{ client_name: 'billing', requests_per_minute: 100, requests_per_day: 5000 }],
    })
    const plan = planConfig(LIVE, desired, { prune: false })
    expect(renderPlan(plan)).toEqual([
      '~ update route api.example.com /orders/*',
      '    service_name: "orders" → "orders-v2"',
      '    methods.GET.auth_type: "api_key" → "hmac"',
      '    methods.POST: {"auth_required":true,"auth_type":"hmac"} → (none)',
      '    methods.DELETE: (none) → {"auth_required":true,"auth_type":"hmac"}',
      '~ update client billing',
      '    status: "active" → "suspended"',
      '+ create client new',
      '    status: "active"',
      '    credentials: ["api_key"]',
      '~ update permission billing → api.example.com /orders/*',
      '    allowed_methods: ["GET"] → ["GET","DELETE"]',
      '~ update rate limit billing',
      '    requests_per_day: null → 5000',
      '',
      'Plan: 1 to create, 4 to update, 0 to delete.',
      '',
      '4 live entities are not in the file and kept (with --prune they would be deleted):',
      '    route * /old',
      '    client retired',
      '    permission retired → * /old',
      '    console admin ops@example.com',
    ])
  })

  it('with prune deletes what the file does not name, children first', () => {
    const desired = {
      ...LIVE,
      routes: [LIVE.routes[0]],
      clients: [LIVE.clients[0]],
      permissions: [LIVE.permissions[0]],
      console_admins: [],
    } as ConfigDocument
    const plan = planConfig(LIVE, desired, { prune: true })
    expect(plan.changes.map((c) => `${c.action} ${c.kind} ${c.key}`)).toEqual([
      'delete console_admin ops@example.com',
      'delete permission retired → * /old',
      'delete client retired',
      'delete route * /old',
    ])
    expect(plan.unmanaged).toEqual([])
    expect(planCounts(plan)).toEqual({ create: 0, update: 0, delete: 4 })
  })

  it('notes a listed credential that is no longer current, without counting it as a change', () => {
    const desired = doc({
      ...LIVE,
      clients: [
        { client_name: 'billing', credentials: [{ kind: 'api_key', id: '2b6f3c1e-1d2a-4c3b-9e8f-7a6b5c4d3e2f' }] },
        LIVE.clients[1],
      ],
    })
    const plan = planConfig(LIVE, desired, { prune: true })
    expect(plan.changes).toEqual([])
    expect(plan.notes).toEqual([expect.stringMatching(/billing: api_key 2b6f3c1e-.* is not a current credential/)])
  })
})

const EMPTY = doc({ version: 1 })

describe('planConfig properties', () => {
  it('against an empty state, a valid document plans exactly one create per entity and nothing else', () => {
    fc.assert(
      fc.property(documentArb, fc.boolean(), (desired, prune) => {
        const plan = planConfig(EMPTY, desired, { prune })
        const created = (kind: string) => plan.changes.filter((c) => c.action === 'create' && c.kind === kind).length
        expect(plan.changes.every((c) => c.action === 'create')).toBe(true)
        expect(created('route')).toBe(desired.routes.length)
        expect(created('client')).toBe(desired.clients.length)
        expect(created('permission')).toBe(desired.permissions.length)
        expect(created('rate_limit')).toBe(desired.rate_limits.length)
        expect(created('console_admin')).toBe(desired.console_admins.length)
      }),
    )
  })

  it('a serialized document reads back valid, byte-identical when serialized again, and plans no change', () => {
    fc.assert(
      fc.property(documentArb, fc.constantFrom('yaml' as const, 'json' as const), (desired, format) => {
        const text = serializeConfig(desired, format)
        const parsed = parseConfigText(text)
        expect(parsed.ok).toBe(true)
        if (!parsed.ok) return
        expect(serializeConfig(parsed.document, format)).toBe(text)
        expect(planConfig(desired, parsed.document, { prune: true }).changes).toEqual([])
      }),
    )
  })
})

describe('planConfig: metadata', () => {
  it('client metadata and a route metadata header are compared, set, changed and removed', () => {
    const base = configDocumentSchema.parse({
      version: 1,
      routes: [
        { domain: 'a.example.com', route_pattern: '/x', service_name: 'x', methods: { GET: { auth_required: false } } },
      ],
      clients: [{ client_name: 'c' }],
    })
    const withMeta = configDocumentSchema.parse({
      version: 1,
      routes: [
        {
          domain: 'a.example.com',
          route_pattern: '/x',
          service_name: 'x',
          methods: { GET: { auth_required: false } },
          metadata_header: 'X-Client-Metadata',
        },
      ],
      clients: [{ client_name: 'c', metadata: { plan: 'gold' } }],
    })
    expect(renderPlan(planConfig(base, withMeta, { prune: false }))).toEqual([
      '~ update route a.example.com /x',
      '    metadata_header: (none) → "X-Client-Metadata"',
      '~ update client c',
      '    metadata: (none) → {"plan":"gold"}',
      '',
      'Plan: 0 to create, 2 to update, 0 to delete.',
    ])
    expect(planConfig(withMeta, withMeta, { prune: false }).changes).toEqual([])
    expect(renderPlan(planConfig(withMeta, base, { prune: false }))).toEqual([
      '~ update route a.example.com /x',
      '    metadata_header: "X-Client-Metadata" → (none)',
      '~ update client c',
      '    metadata: {"plan":"gold"} → (none)',
      '',
      'Plan: 0 to create, 2 to update, 0 to delete.',
    ])
  })

  it('a metadata key that Object.prototype also has (constructor, toString) is planned like any other', () => {
    const client = (metadata: Record<string, unknown>) =>
      configDocumentSchema.parse({ version: 1, clients: [{ client_name: 'c', metadata }] })
    const live = client({ plan: 'gold' })
    const desired = client({ plan: 'gold', constructor: 'x', toString: { a: 1 } })
    expect(renderPlan(planConfig(live, desired, { prune: false })).slice(0, 3)).toEqual([
      '~ update client c',
      '    metadata.constructor: (none) → "x"',
      '    metadata.toString: (none) → {"a":1}',
    ])
    expect(renderPlan(planConfig(desired, live, { prune: false })).slice(0, 3)).toEqual([
      '~ update client c',
      '    metadata.constructor: "x" → (none)',
      '    metadata.toString: {"a":1} → (none)',
    ])
  })
})

describe('planConfig: credential lifecycle', () => {
  const KEY = '0b6f3c1e-1d2a-4c3b-9e8f-7a6b5c4d3e2f'
  const withBilling = (credentials: unknown[]) =>
    doc({ ...LIVE, clients: [{ client_name: 'billing', credentials }, LIVE.clients[1]] })

  it('a credential listed by its live id: expiry and allowlist are client fields, set, changed and removed', () => {
    const set = withBilling([{ kind: 'api_key', id: KEY, expires_at: 1_900_000_000, ip_allowlist: ['10.0.0.0/8'] }])
    const plan = planConfig(LIVE, set, { prune: true })
    expect(plan.changes).toEqual([
      {
        action: 'update',
        kind: 'client',
        key: 'billing',
        fields: [
          { field: 'credentials.api_key.expires_at', from: undefined, to: 1_900_000_000 },
          { field: 'credentials.api_key.ip_allowlist', from: undefined, to: ['10.0.0.0/8'] },
        ],
      },
    ])
    expect(renderPlan(plan)[1]).toBe('    credentials.api_key.expires_at: (none) → 1900000000')
    // The same set in another order, repeated: no change; the prefix is for review only.
    const reordered = withBilling([
      {
        kind: 'api_key',
        id: KEY,
        prefix: 'gk_AbCd',
        expires_at: 1_900_000_000,
        ip_allowlist: ['10.0.0.0/8', '10.0.0.0/8'],
      },
    ])
    expect(planConfig(set, reordered, { prune: true }).changes).toEqual([])
    const removed = planConfig(set, withBilling([{ kind: 'api_key', id: KEY }]), { prune: true })
    expect(removed.changes.flatMap((c) => c.fields)).toEqual([
      { field: 'credentials.api_key.expires_at', from: 1_900_000_000, to: undefined },
      { field: 'credentials.api_key.ip_allowlist', from: ['10.0.0.0/8'], to: undefined },
    ])
  })

  it('a live credential the file does not list by id keeps its lifecycle; a stale id or a missing one is a note', () => {
    const live = withBilling([{ kind: 'api_key', id: KEY, expires_at: 1_900_000_000 }])
    expect(planConfig(live, withBilling([]), { prune: true }).changes).toEqual([])
    const stale = planConfig(
      live,
      withBilling([{ kind: 'api_key', id: '2b6f3c1e-1d2a-4c3b-9e8f-7a6b5c4d3e2f', ip_allowlist: ['10.0.0.0/8'] }]),
      { prune: true },
    )
    expect(stale.changes).toEqual([])
    expect(stale.notes).toEqual([expect.stringMatching(/billing: api_key 2b6f3c1e-.* is not a current credential/)])
    const noId = planConfig(live, withBilling([{ kind: 'api_key', ip_allowlist: ['10.0.0.0/8'] }]), { prune: true })
    expect(noId.changes).toEqual([])
    expect(noId.notes).toEqual([
      expect.stringMatching(/billing: the api_key without an id has expires_at\/ip_allowlist/),
    ])
  })

  it("a new client's credentials show the lifecycle they are created with", () => {
    const desired = doc({
      version: 1,
      clients: [{ client_name: 'new', credentials: [{ kind: 'shared_secret', ip_allowlist: ['203.0.113.7'] }] }],
    })
    expect(planConfig(EMPTY, desired, { prune: false }).changes[0]?.fields).toEqual([
      { field: 'status', from: undefined, to: 'active' },
      { field: 'credentials', from: undefined, to: ['shared_secret'] },
      { field: 'credentials.shared_secret.ip_allowlist', from: undefined, to: ['203.0.113.7'] },
    ])
  })
})
