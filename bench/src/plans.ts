import type { AuthzProcess } from './authz-process'
import type { Fixtures } from './fixtures'
import type { Group } from './report'
import { type BenchRequest, baselineRequest, type DirectKind, directRequest, nginxRequest } from './requests'
import type { BaselineServer, ProtectedApi } from './servers'

// What one round measures, in order: the baseline, then every /authz decision, nginx in three setups, small vs
// large tables, authz with a worker per core. Each plan names the row its ratio is taken against.

export interface Target {
  port: number
  request: BenchRequest
  /** The answering process (its CPU per request is reported; cluster workers are found under it). */
  pid: number
  /** The authz whose /metrics counts the decisions and whose log is emptied after the run. */
  authz?: AuthzProcess
  /** Sent by a second wrk, with the same load, while `request` is measured (the garbage-key flood). */
  flood?: BenchRequest
  /** Further answering processes (the second replica behind nginx), whose CPU counts too. */
  otherPids?: readonly number[]
}

export interface Plan {
  key: string
  group: Group
  label: string
  vs: string
  /** Undefined: skipped, with the reason. */
  target: Target | string
  /** A failed check marks the row skipped instead of failing the run (HMAC v2 before authz supports it). */
  skippable?: boolean
}

export interface Running {
  fixtures: Fixtures
  baseline: BaselineServer
  main: AuthzProcess
  nginx?: {
    noAuth: ProtectedApi
    authBaseline: ProtectedApi
    authAuthz: ProtectedApi
    upstream: BaselineServer
    authServer: BaselineServer
  }
  large?: { authz: AuthzProcess; fixtures: Fixtures }
  cluster?: { authz: AuthzProcess; workers: number; forked: number }
  /** The same authz with AUTHZ_USAGE_TRACKING=false: what last-used and usage tracking cost `main`. */
  untracked?: AuthzProcess
  /** nginx in front of the cluster authz, and in front of `replicas` single-process authz (keepalive pool). */
  nginxMulticore?: { workers: ProtectedApi; replicas: ProtectedApi; replicaPids: readonly number[]; count: number }
}

const DIRECT: ReadonlyArray<{ kind: DirectKind; key: string; label: string; skippable?: boolean }> = [
  { kind: 'public', key: 'direct.public', label: 'authz: public route' },
  { kind: 'api_key', key: 'direct.api_key', label: 'authz: API key' },
  { kind: 'hmac_v1', key: 'direct.hmac_v1', label: 'authz: HMAC v1 (Redis nonce)' },
  { kind: 'hmac_v2', key: 'direct.hmac_v2', label: 'authz: HMAC v2 (Redis nonce)', skippable: true },
  { kind: 'denied', key: 'direct.denied', label: 'authz: denied, unknown key (401)' },
  { kind: 'rate_limited_allowed', key: 'direct.rate_limited', label: 'authz: rate-limited key, allowed (Redis)' },
  { kind: 'rate_limited_refused', key: 'direct.rate_limited_refused', label: 'authz: rate-limited key, refused (429)' },
  { kind: 'unmatched', key: 'direct.unmatched', label: 'authz: unmatched (403)' },
  { kind: 'garbage', key: 'direct.garbage', label: 'authz: denied, malformed key (401)' },
]

const at = (authz: AuthzProcess, request: BenchRequest): Target => ({
  port: authz.port,
  request,
  pid: authz.child.pid,
  authz,
})

export function plansFor(r: Running): Plan[] {
  const f = r.fixtures
  const plans: Plan[] = [
    {
      key: 'baseline',
      group: 'direct',
      label: 'baseline: minimal Hono server',
      vs: 'baseline',
      target: { port: r.baseline.port, request: baselineRequest(f), pid: r.baseline.child.pid },
    },
  ]
  for (const d of DIRECT) {
    plans.push({
      key: d.key,
      group: 'direct',
      label: d.label,
      vs: 'baseline',
      target: at(r.main, directRequest(d.kind, f)),
      ...(d.skippable ? { skippable: true } : {}),
    })
  }
  // Valid keys while made-up keys arrive as fast as a second wrk can send them, against valid keys alone.
  plans.push({
    key: 'direct.api_key_flooded',
    group: 'direct',
    label: 'authz: API key, garbage-key flood',
    vs: 'direct.api_key',
    target: { ...at(r.main, directRequest('api_key', f)), flood: directRequest('garbage', f) },
  })
  if (r.nginx !== undefined) {
    const n = r.nginx
    // CPU per request: of the upstream when there is no auth server, else of the auth server.
    plans.push(
      {
        key: 'nginx.no_auth',
        group: 'nginx',
        label: 'nginx: proxy, no auth',
        vs: 'nginx.no_auth',
        target: { port: n.noAuth.nginx.port, request: nginxRequest(f), pid: n.upstream.child.pid },
      },
      {
        key: 'nginx.auth_baseline',
        group: 'nginx',
        label: 'nginx: auth_request -> minimal server',
        vs: 'nginx.no_auth',
        target: { port: n.authBaseline.nginx.port, request: nginxRequest(f), pid: n.authServer.child.pid },
      },
      {
        key: 'nginx.auth_authz',
        group: 'nginx',
        label: 'nginx: auth_request -> authz',
        vs: 'nginx.auth_baseline',
        target: { ...at(r.main, nginxRequest(f)), port: n.authAuthz.nginx.port },
      },
    )
  }
  if (r.large !== undefined) {
    plans.push(
      {
        key: 'scale.small',
        group: 'scale',
        label: 'scale: API key, small tables',
        vs: 'scale.small',
        target: at(r.main, directRequest('api_key', f)),
      },
      {
        key: 'scale.large',
        group: 'scale',
        label: 'scale: API key, large tables',
        vs: 'scale.small',
        target: at(r.large.authz, directRequest('api_key', r.large.fixtures)),
      },
    )
  }
  if (r.cluster !== undefined) {
    const c = r.cluster
    const skipped = `AUTHZ_WORKERS=${c.workers} gave ${c.forked} worker processes (no cluster mode?)`
    for (const kind of ['api_key', 'hmac_v1'] as const) {
      plans.push({
        key: `multicore.${kind}`,
        group: 'multicore',
        label: `authz x${c.workers} workers: ${kind === 'api_key' ? 'API key' : 'HMAC v1'}`,
        vs: `direct.${kind}`,
        target: c.forked === c.workers ? at(c.authz, directRequest(kind, f)) : skipped,
      })
    }
  }
  if (r.untracked !== undefined) {
    plans.push(
      {
        key: 'tracking.off',
        group: 'tracking',
        label: 'authz: API key, usage tracking off',
        vs: 'tracking.off',
        target: at(r.untracked, directRequest('api_key', f)),
      },
      {
        key: 'tracking.on',
        group: 'tracking',
        label: 'authz: API key, usage tracking on',
        vs: 'tracking.off',
        target: at(r.main, directRequest('api_key', f)),
      },
    )
  }
  if (r.nginxMulticore !== undefined && r.cluster !== undefined) {
    // Behind nginx's keepalive pool, one authz with a worker per core against as many single-process replicas.
    const m = r.nginxMulticore
    const c = r.cluster
    plans.push(
      {
        key: 'multicore.nginx_workers',
        group: 'multicore',
        label: `nginx -> authz x${c.workers} workers`,
        vs: 'nginx.auth_authz',
        target:
          c.forked === c.workers
            ? { ...at(c.authz, nginxRequest(f)), port: m.workers.nginx.port }
            : `AUTHZ_WORKERS=${c.workers} gave ${c.forked} worker processes (no cluster mode?)`,
      },
      {
        key: 'multicore.nginx_replicas',
        group: 'multicore',
        label: `nginx -> ${m.count} authz replicas`,
        vs: 'nginx.auth_authz',
        target: { ...at(r.main, nginxRequest(f)), port: m.replicas.nginx.port, otherPids: m.replicaPids },
      },
    )
  }
  return plans
}
