import { type AuthzProcess, startAuthz as startAuthzProcess } from '@gatekeeper/testkit/apps'

export type RunningAuthz = AuthzProcess

/** The real authz service (apps/authz/src/main.ts under tsx) on a free loopback port, ready when this resolves. */
export function startAuthz(env: { DATABASE_URL: string; GATEKEEPER_MASTER_KEY: string }): Promise<RunningAuthz> {
  return startAuthzProcess({
    inheritEnv: false,
    env: { ...env, LOG_LEVEL: 'warn', AUDIT_LOG: 'false' },
    readyTimeoutMs: 90_000,
  })
}

export type AuthzRequest = { path: string; method?: string; host: string; authorization?: string }

/** What nginx's auth_request asks: the original request's URI, method and host in headers. */
export async function decide(authz: RunningAuthz, req: AuthzRequest): Promise<number> {
  const headers: Record<string, string> = {
    'X-Original-URI': req.path,
    'X-Original-Method': req.method ?? 'GET',
    'X-Original-Host': req.host,
  }
  if (req.authorization !== undefined) headers.Authorization = req.authorization
  const res = await fetch(`${authz.url}/authz`, { headers })
  await res.arrayBuffer()
  return res.status
}

/** Polls until authz answers `status` (every 20 ms); returns how long it took, or throws after `withinMs`. */
export async function waitForStatus(
  authz: RunningAuthz,
  req: AuthzRequest,
  status: number,
  withinMs: number,
): Promise<number> {
  const start = performance.now()
  let last = 0
  while (performance.now() - start < withinMs) {
    last = await decide(authz, req)
    if (last === status) return performance.now() - start
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`authz still answered ${last} after ${withinMs} ms (wanted ${status})`)
}
