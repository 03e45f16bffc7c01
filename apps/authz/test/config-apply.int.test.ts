// A configuration file applied while authz runs: the whole apply is ONE config version, so a running authz goes
// from the version before to the version after in one step. /health is polled back to back during the apply;
// every state it reports must be either all of the old configuration or all of the new one.

import { applyConfig } from '@gatekeeper/db/config-as-code'
import { type ConfigDocument, configDocumentSchema } from '@gatekeeper/models'
import { describe, expect, it } from 'vitest'
import { ACTOR, eventually, original, publicRoute, uniqueHost, useAuthz } from './harness'

// The version poll is set to a minute: the apply's notification alone must bring authz up to date.
const { world, authz } = useAuthz({ CONFIG_POLL_INTERVAL_MS: '60000' })

type Seen = { version: number | null; routes: number; clients: number; permissions: number }

async function health(): Promise<Seen> {
  const { body } = await authz.health<{ snapshot: Seen }>()
  const { version, routes, clients, permissions } = body.snapshot
  return { version, routes, clients, permissions }
}

const decision = (headers: Record<string, string>) => authz.decision(headers)

const ROUTES = 40
const CLIENTS = 150

function document(host: string): ConfigDocument {
  const routes = Array.from({ length: ROUTES }, (_, i) => ({
    domain: host,
    route_pattern: `/svc-${i}/*`,
    service_name: `svc-${i}`,
    methods: {
      GET: { auth_required: true, auth_type: 'api_key' },
      POST: { auth_required: true, auth_type: 'api_key' },
    },
  }))
  const clients = Array.from({ length: CLIENTS }, (_, i) => ({
    client_name: `client-${i}`,
    credentials: [{ kind: 'api_key' }],
  }))
  // client-i may GET svc-(i mod ROUTES), nothing else.
  const permissions = clients.map((c, i) => ({
    client_name: c.client_name,
    domain: host,
    route_pattern: `/svc-${i % ROUTES}/*`,
    allowed_methods: ['GET'],
  }))
  return configDocumentSchema.parse({ version: 1, routes, clients, permissions })
}

describe('gatekeeper apply with authz running', () => {
  it('authz goes from version N to N+1 in one step, and decides on the whole new configuration', async () => {
    const host = uniqueHost()
    // Something before the apply, so N is not the empty database's 0.
    await publicRoute(world.admin, '/before/*', 'before', host)
    await eventually(async () => (await health()).version === 1)
    const initial = await health()

    const seen: Seen[] = []
    let stop = false
    const watcher = (async () => {
      while (!stop) seen.push(await health())
    })()

    const result = await applyConfig(world.writer.db, document(host), {
      actor: ACTOR,
      sealer: world.sealer,
      prune: false,
    })
    expect(result.versionBefore).toBe(1)
    expect(result.versionAfter).toBe(2)
    await eventually(async () => seen.at(-1)?.version === 2, 5000)
    // A little longer: a later intermediate state would show up here.
    const until = performance.now() + 200
    while (performance.now() < until) await new Promise((r) => setTimeout(r, 10))
    stop = true
    await watcher

    const distinct = [...new Map(seen.map((s) => [JSON.stringify(s), s])).values()]
    console.info(`authz /health polled ${seen.length} times during the apply; states seen:`, distinct)
    expect(distinct).toEqual([initial, { version: 2, routes: ROUTES + 1, clients: CLIENTS, permissions: CLIENTS }])
    expect(seen.length).toBeGreaterThan(10)
    // Taken in with exactly one reload, triggered by the batch.
    const reloads = authz.logs.lines.filter((l) => l.msg === 'config snapshot loaded' && l.trigger === 'batch')
    expect(reloads).toHaveLength(1)
    console.info(`authz reload for the batch: ${String(reloads[0]?.duration_ms)} ms`)

    // The new routes and clients decide as the file says.
    const keyOf = (name: string) => result.credentials.find((c) => c.client_name === name)?.api_key ?? ''
    const bearer = (name: string) => ({ Authorization: `Bearer ${keyOf(name)}` })
    expect(await decision(original('GET', host, '/svc-7/x', bearer('client-7')))).toBe('200 authenticated')
    expect(await decision(original('GET', host, '/svc-7/x', bearer(`client-${ROUTES + 7}`)))).toBe('200 authenticated')
    expect(await decision(original('POST', host, '/svc-7/x', bearer('client-7')))).toBe('403 method_not_allowed')
    expect(await decision(original('GET', host, '/svc-8/x', bearer('client-7')))).toBe('403 no_permission')
    expect(await decision(original('GET', host, '/svc-8/x'))).toBe('401 missing_credentials')
    expect(await decision(original('GET', host, '/before/x'))).toBe('200 no_auth_required')
  })
})
