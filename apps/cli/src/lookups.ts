import type { AdminOps } from '@gatekeeper/db/admin'
import { ApiError, type RateLimitWire, type RouteWire } from '@gatekeeper/models'
import { CliError } from './errors'
import { credentialsText } from './render'

/** A client's rate limit, or undefined when it has none (an unknown client is still a 404). */
export async function findRateLimit(ops: AdminOps, clientId: string): Promise<RateLimitWire | undefined> {
  try {
    return await ops.rateLimits.get(clientId)
  } catch (err) {
    if (err instanceof ApiError && err.code === 'not_found' && err.message.startsWith('rate_limit')) return undefined
    throw err
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function created(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')
}

function ambiguous(what: string, ref: string, candidates: ReadonlyArray<string>): CliError {
  return CliError.usage(
    `${what} "${ref}" is ambiguous: ${candidates.length} match, give one of these ids instead: ${candidates.join('; ')}`,
  )
}

/**
 * A client given on the command line: its id, or its name (exact, else ignoring case). Names are not
 * unique, so a name that several clients share is refused with the candidates listed.
 */
export async function resolveClient(ops: AdminOps, ref: string): Promise<string> {
  if (UUID.test(ref)) return ref
  const clients = await ops.clients.list()
  let matches = clients.filter((c) => c.client_name === ref)
  if (matches.length === 0) matches = clients.filter((c) => c.client_name.toLowerCase() === ref.toLowerCase())
  const [only, ...others] = matches
  if (only === undefined)
    throw CliError.notFound(`no client with the id or name "${ref}" (\`gatekeeper client list\` shows them)`)
  if (others.length === 0) return only.client_id
  throw ambiguous(
    'client name',
    ref,
    matches.map((c) => `${c.client_id} (${c.status}, ${credentialsText(c)}, created ${created(c.created_at)})`),
  )
}

/**
 * A route given on the command line: its id; `domain/pattern` (unique: `api.example.com/api/orders`,
 * `*` for any host); a pattern (`/api/orders`, unique unless several domains have it); or its service
 * name (unique unless several routes share it). Several matches are refused with the candidates listed.
 */
export async function resolveRoute(ops: AdminOps, ref: string): Promise<string> {
  if (UUID.test(ref)) return ref
  const routes = await ops.routes.list()
  let matches: RouteWire[]
  let what: string
  if (ref.startsWith('/')) {
    what = 'route pattern'
    matches = routes.filter((r) => r.route_pattern === ref)
  } else if (ref.includes('/')) {
    what = 'route'
    const slash = ref.indexOf('/')
    const domain = ref.slice(0, slash).toLowerCase()
    matches = routes.filter((r) => r.domain === domain && r.route_pattern === ref.slice(slash))
  } else {
    what = 'service name'
    matches = routes.filter((r) => r.service_name === ref)
  }
  const [only, ...others] = matches
  if (only === undefined)
    throw CliError.notFound(
      `no route with the id, pattern, domain/pattern or service name "${ref}" (\`gatekeeper route list\` shows them)`,
    )
  if (others.length === 0) return only.route_id
  throw ambiguous(
    what,
    ref,
    matches.map((r) => `${r.route_id} (${r.domain}${r.route_pattern}, service ${r.service_name})`),
  )
}
