import { rawExchange, rawRequest } from '../http/raw'
import { type CreatedClient, type Stack, type StackNginx, startStack } from '../stack/e2e'
import type { ParityCase, RawCase } from './cases'
import { judge, type Names, type Outcome, outcome, type Violation } from './judge'
import { type ClientName, ROUTES, type RouteName, routeSpec } from './table'
import { startExpressUpstream } from './upstreams/express'
import { startFlaskUpstream } from './upstreams/flask'
import { startHonoUpstream } from './upstreams/hono'
import { isUpstreamReply, REPLY_HEADER, type RunningUpstream, type UpstreamReply } from './upstreams/reply'

// The differential test's world: the e2e stack (real authz, console-api, Postgres, Redis) configured with the
// route table through the admin API, three upstream stacks that each mirror the table in their own framework,
// and one real nginx per shipped API config and upstream.

export const CONFIGS = ['protected-api.conf', 'cdn-forwarder.conf', 'public-cache.conf'] as const
export type ConfigName = (typeof CONFIGS)[number]

/** What the shipped examples run authz with (infra/compose, infra/k8s). */
const SHIPPED_AUTHZ_ENV = { AUTHZ_REQUIRE_KNOWN_HOST: 'true' } as const

export interface Target {
  config: ConfigName
  upstream: string
  nginx: StackNginx
}

export interface ParityWorld {
  stack: Stack
  targets: readonly Target[]
  names: Names
  close(): Promise<void>
}

export async function startParityWorld(
  options: { configs?: readonly ConfigName[]; authzEnv?: Record<string, string> } = {},
): Promise<ParityWorld> {
  const stack = await startStack({ authzEnv: options.authzEnv ?? SHIPPED_AUTHZ_ENV })
  const upstreams: RunningUpstream[] = []
  try {
    const routes = new Map<string, RouteName>()
    const byName = new Map<RouteName, string>()
    for (const route of ROUTES) {
      const id = await stack.cp.route(routeSpec(route))
      routes.set(id, route.name)
      byName.set(route.name, id)
    }
    const created: Record<ClientName, CreatedClient> = {
      A: await stack.cp.client({ name: 'parity-a' }),
      B: await stack.cp.client({ name: 'parity-b' }),
    }
    for (const route of ROUTES) {
      for (const [client, methods] of Object.entries(route.grants) as Array<[ClientName, readonly string[]]>) {
        await stack.cp.grant(created[client].id, byName.get(route.name) ?? '', methods)
      }
    }
    await stack.synced()
    upstreams.push(await startHonoUpstream(), await startExpressUpstream(), await startFlaskUpstream())
    const targets: Target[] = []
    for (const config of options.configs ?? CONFIGS) {
      for (const upstream of upstreams) {
        const nginx = await stack.nginx(config, {
          name: `parity-${config.replace(/\.conf$/, '')}-${upstream.name}`,
          upstream: `127.0.0.1:${upstream.port}`,
        })
        targets.push({ config, upstream: upstream.name, nginx })
      }
    }
    const names: Names = {
      routes,
      clients: new Map([
        [created.A.id, 'A'],
        [created.B.id, 'B'],
      ]),
      keys: { A: created.A.apiKey, B: created.B.apiKey },
    }
    return {
      stack,
      targets,
      names,
      async close() {
        for (const upstream of upstreams) await upstream.close().catch(() => undefined)
        await stack.close()
      },
    }
  } catch (err) {
    for (const upstream of upstreams) await upstream.close().catch(() => undefined)
    await stack.close().catch(() => undefined)
    throw err
  }
}

/** A case with the keys filled in. */
function render(c: ParityCase, names: Names): ParityCase {
  const fill = (text: string) =>
    text.replaceAll('{A}', names.keys.A).replaceAll('{B}', names.keys.B).replaceAll('{X}', UNKNOWN_KEY)
  return {
    method: c.method,
    target: fill(c.target),
    host: c.host,
    authorization: c.authorization === null ? null : fill(c.authorization),
  }
}

/** Shaped like a key (its checksum is wrong), but nobody's. */
const UNKNOWN_KEY = `gk_${'0'.repeat(49)}`

export interface Result {
  target: Target
  outcome: Outcome
  violation?: Violation
}

/** Sends one case through one nginx and judges what the upstream (if any) received. */
export async function check(world: ParityWorld, target: Target, c: ParityCase): Promise<Result> {
  const sent = render(c, world.names)
  const headers: Array<[string, string]> = []
  if (sent.host !== null) headers.push(['Host', sent.host])
  if (sent.authorization !== null) headers.push(['Authorization', sent.authorization])
  let status: number | 'closed'
  let body = ''
  let replyHeader: string | undefined
  try {
    const reply = await rawRequest({
      port: target.nginx.port,
      method: sent.method,
      target: sent.target,
      headers,
      timeoutMs: 10_000,
    })
    status = reply.status
    body = reply.body
    replyHeader = reply.headers[REPLY_HEADER]
  } catch (err) {
    // 444: nginx closes the connection without a word. A timeout is not a refusal: let it fail the run.
    if (err instanceof Error && /no reply within/.test(err.message)) throw err
    status = 'closed'
  }
  const judged = outcome(status, body, replyHeader)
  const violation = judged.reply === undefined ? undefined : judge(c, judged.reply, world.names)
  return violation === undefined ? { target, outcome: judged.outcome } : { target, outcome: judged.outcome, violation }
}

export function describeCase(c: ParityCase): string {
  const parts = [`${c.method} ${JSON.stringify(c.target)}`]
  parts.push(c.host === null ? 'no Host' : `Host ${JSON.stringify(c.host)}`)
  if (c.authorization !== null) parts.push(`Authorization ${JSON.stringify(c.authorization)}`)
  return parts.join(', ')
}

export interface RawResult {
  /** The status of every response in the stream, in order (a 100 Continue included); empty when closed unanswered. */
  statuses: number[]
  /** What each upstream that answered says it served, and for whom. */
  replies: UpstreamReply[]
  /** Property violations among them: each reply judged for the method the upstream ran. */
  violations: string[]
}

/**
 * Sends a raw case (framing and header tricks, pipelined requests) through one nginx. Every upstream reply in the
 * stream is found by its reply header, whichever request it answers, so a request smuggled past authz would show
 * up as a reply that no decision covers.
 */
export async function checkRaw(world: ParityWorld, target: Target, c: RawCase): Promise<RawResult> {
  const text = c.raw
    .replaceAll('{A}', world.names.keys.A)
    .replaceAll('{B}', world.names.keys.B)
    .replaceAll('\n', '\r\n')
  const { stream, timedOut } = await rawExchange(target.nginx.port, Buffer.from(text, 'latin1'))
  if (timedOut) throw new Error(`${c.why}: ${target.config} + ${target.upstream} did not close the connection`)
  // Not anchored: a response follows the previous body directly, and the upstreams' JSON ends without a newline.
  const statuses = [...stream.matchAll(/HTTP\/1\.[01] (\d{3}) /g)].map((m) => Number(m[1]))
  const replies: UpstreamReply[] = []
  const violations: string[] = []
  for (const m of stream.matchAll(new RegExp(`^${REPLY_HEADER}: *([A-Za-z0-9+/=]+)\r$`, 'gim'))) {
    const parsed: unknown = JSON.parse(Buffer.from(m[1] ?? '', 'base64').toString())
    if (!isUpstreamReply(parsed)) continue
    replies.push(parsed)
    const asRun: ParityCase = { method: parsed.method, target: parsed.target, host: null, authorization: null }
    const violation = judge(asRun, parsed, world.names)
    if (violation !== undefined) violations.push(`${violation.what}: ${violation.detail}`)
  }
  return { statuses, replies, violations }
}
