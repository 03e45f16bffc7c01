import { z } from 'zod'

/**
 * Where Redis is, as one URL so every caller (authz, console-api, the CLI) passes a single string around:
 * - `redis://[user:pass@]host:port[/db]` (or `rediss://`): one server, as ioredis reads it;
 * - `redis+cluster://[user:pass@]host1:port1,host2:port2,...` (or `rediss+cluster://` for TLS): Redis Cluster seed
 *   nodes (any reachable subset; the rest of the topology is discovered), database 0 only;
 * - `redis+sentinel://[user:pass@]sentinel1:port1,sentinel2:port2,.../<master-name>[/db][?sentinelPassword=...]`:
 *   the master named `<master-name>` as the listed Sentinels report it (user:pass authenticate to the data nodes).
 */
export type HostPort = { host: string; port: number }

export type RedisTarget =
  | { kind: 'single'; url: string }
  | { kind: 'cluster'; nodes: HostPort[]; username?: string; password?: string; tls: boolean }
  | {
      kind: 'sentinel'
      sentinels: HostPort[]
      master: string
      db: number
      username?: string
      password?: string
      sentinelPassword?: string
    }

const hostPort = z
  .string()
  .regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/, 'expected host:port')
  .transform((text, ctx) => {
    const colon = text.lastIndexOf(':')
    const port = Number(text.slice(colon + 1))
    if (port < 1 || port > 65535) {
      ctx.issues.push({ code: 'custom', message: `port out of range in ${text}`, input: text })
      return z.NEVER
    }
    return { host: text.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port }
  })

const hostList = z.array(hostPort).min(1, 'expected at least one host:port')

const masterName = z.string().regex(/^[A-Za-z0-9_.-]+$/, 'expected a master name (letters, digits, _ . -)')

const dbNumber = z
  .string()
  .regex(/^\d{1,9}$/, 'expected a database number')
  .transform((text) => Number(text))

const SHAPE = /^(redis|rediss)\+(cluster|sentinel):\/\/(?:([^@/?#]*)@)?([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/

function decode(part: string | undefined): string | undefined {
  if (part === undefined || part === '') return undefined
  return decodeURIComponent(part)
}

function firstIssue(err: z.ZodError): string {
  const issue = err.issues[0]
  return issue ? issue.message : 'invalid'
}

/**
 * Parses a Redis URL into a target. Throws an Error with a readable message (never echoing the password) when a
 * cluster or sentinel URL is malformed; plain `redis://` URLs are passed through to ioredis unchanged.
 */
export function parseRedisUrl(url: string): RedisTarget {
  const text = url.trim()
  if (/^rediss?:\/\//i.test(text)) return { kind: 'single', url: text }
  const m = SHAPE.exec(text)
  if (!m) {
    throw new Error(
      'expected redis://host:port[/db], redis+cluster://host:port,host:port,... or redis+sentinel://host:port,.../master-name[/db]',
    )
  }
  const [, scheme, kind, userinfo, hosts, path, query] = m
  let username: string | undefined
  let password: string | undefined
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(':')
    username = decode(colon < 0 ? userinfo : userinfo.slice(0, colon))
    password = colon < 0 ? undefined : decode(userinfo.slice(colon + 1))
  }
  const nodes = hostList.safeParse((hosts ?? '').split(',').filter((h) => h !== ''))
  if (!nodes.success) throw new Error(`${kind} nodes: ${firstIssue(nodes.error)}`)
  const params = new URLSearchParams(query ?? '')
  const segments = (path ?? '').split('/').filter((s) => s !== '')

  if (kind === 'cluster') {
    for (const key of params.keys()) throw new Error(`cluster URL: unknown parameter ${key}`)
    // Redis Cluster has only database 0; accepting another number would silently use 0.
    if (segments.length > 1 || (segments.length === 1 && segments[0] !== '0')) {
      throw new Error('cluster URL: Redis Cluster has only database 0 (no path after the nodes)')
    }
    return { kind: 'cluster', nodes: nodes.data, username, password, tls: scheme === 'rediss' }
  }

  if (scheme === 'rediss') throw new Error('sentinel URL: TLS (rediss+sentinel) is not supported')
  for (const key of params.keys()) {
    if (key !== 'sentinelPassword') throw new Error(`sentinel URL: unknown parameter ${key}`)
  }
  if (segments.length < 1 || segments.length > 2) {
    throw new Error('sentinel URL: expected /<master-name>[/db] after the sentinel nodes')
  }
  const name = masterName.safeParse(decode(segments[0]) ?? '')
  if (!name.success) throw new Error(`sentinel URL: ${firstIssue(name.error)}`)
  const db = dbNumber.safeParse(segments[1] ?? '0')
  if (!db.success) throw new Error(`sentinel URL: ${firstIssue(db.error)}`)
  return {
    kind: 'sentinel',
    sentinels: nodes.data,
    master: name.data,
    db: db.data,
    username,
    password,
    sentinelPassword: params.get('sentinelPassword') ?? undefined,
  }
}

/** The URL with any password replaced by ***, for logs and start-up banners (works for every form above). */
export function redactRedisUrl(url: string): string {
  return url
    .replace(/^([a-z+]+:\/\/)([^@/?#]*)@/i, (_all, scheme: string, userinfo: string) => {
      const colon = userinfo.indexOf(':')
      return colon < 0 ? `${scheme}${userinfo}@` : `${scheme}${userinfo.slice(0, colon)}:***@`
    })
    .replace(/([?&]sentinelPassword=)[^&#]*/, '$1***')
}

/**
 * For config loaders: the URL unchanged when it parses, otherwise the loaders' usual start-up error naming REDIS_URL
 * (so a typo in a node list stops the service at once instead of failing every decision later).
 */
export function validateRedisUrl(url: string | undefined, service: string): string | undefined {
  if (url === undefined) return undefined
  try {
    parseRedisUrl(url)
  } catch (err) {
    throw new Error(`${service}: invalid environment:\n  REDIS_URL: ${(err as Error).message}`)
  }
  return url
}
