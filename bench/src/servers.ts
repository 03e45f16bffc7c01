import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { withoutDirective } from '@gatekeeper/e2e/mutate'
import { type RunningNginx, startNginx } from '@gatekeeper/testkit/nginx'
import { freePort, waitFor } from '@gatekeeper/testkit/ports'
import { readShippedConfig } from '@gatekeeper/testkit/template'
import { logTail, type NodeChild, spawnNode } from './child'
import { httpGet } from './http'
import { BASELINE_MAIN, REPO_ROOT } from './paths'

// The other servers of a run: minimal Hono servers (the baseline, the protected API behind nginx, the minimal
// auth server nginx is compared against), and nginx running the shipped nginx/protected-api.conf, rendered by
// the end-to-end harness's helpers, with or without its auth_request.

export interface BaselineServer {
  port: number
  child: NodeChild
  stop(): Promise<void>
}

export async function startBaseline(
  name: string,
  dir: string,
  nodeArgs: readonly string[] = [],
): Promise<BaselineServer> {
  const port = await freePort()
  const logFile = join(dir, `${name}.log`)
  const child = spawnNode({
    name,
    script: BASELINE_MAIN,
    cwd: REPO_ROOT,
    logFile,
    nodeArgs,
    env: { ...process.env, NODE_ENV: 'production', BASELINE_PORT: String(port) },
  })
  try {
    await waitFor(
      `${name} on port ${port}`,
      async () => {
        if (!child.running) throw new Error(`${name} exited`)
        const reply = await httpGet(port, '/').catch(() => undefined)
        return reply?.status === 200 ? true : undefined
      },
      30_000,
    )
  } catch (err) {
    await child.stop(1000)
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${logTail(logFile)}`)
  }
  return { port, child, stop: () => child.stop(3000) }
}

export interface ProtectedApi {
  nginx: RunningNginx
  stop(): Promise<void>
}

/**
 * nginx/protected-api.conf in front of `upstreamPort`, asking `authPort` (any server answering /authz; several:
 * one `server` line per replica in the keepalive upstream, as the config's header says), or with its
 * `auth_request` line removed (`authPort` undefined): the no-auth proxy baseline.
 */
export async function startProtectedApi(
  name: string,
  upstreamPort: number,
  authPorts: number | readonly number[] | undefined,
): Promise<ProtectedApi> {
  const shipped = readShippedConfig('protected-api.conf')
  const ports = authPorts === undefined ? [] : typeof authPorts === 'number' ? [authPorts] : authPorts
  const authPort = ports[0]
  let template =
    authPort === undefined ? withoutDirective(shipped, 'location / {', 'auth_request /_gatekeeper/authz;') : shipped
  // The template's one replica line (its placeholder as envsubst writes it).
  const serverLine = `server ${'$'}{AUTHZ_UPSTREAM} max_fails=1 fail_timeout=2s;`
  if (ports.length > 1) {
    if (!template.includes(serverLine)) throw new Error(`protected-api.conf no longer has "${serverLine}"`)
    const lines = ports.map((p) => `server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`)
    template = template.replace(serverLine, lines.join('\n    '))
  }
  const nginx = await startNginx({
    name,
    template,
    values: {
      // Without auth_request the auth upstream is never used, but the config still names one.
      AUTHZ_UPSTREAM: `127.0.0.1:${authPort ?? upstreamPort}`,
      UPSTREAM: `127.0.0.1:${upstreamPort}`,
    },
  })
  return {
    nginx,
    async stop() {
      await nginx.stop()
      rmSync(nginx.dir, { recursive: true, force: true })
    },
  }
}
