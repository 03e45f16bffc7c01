import type { ParityCase } from './cases'
import { type ClientName, permitted, type RouteName } from './table'
import { isUpstreamReply, type UpstreamReply } from './upstreams/reply'

// The property, for one request through nginx: if an upstream served a route, it is the route authz authorized
// (the X-Auth-Route-ID the upstream received), the client authz named may use it, and no credential reaches the
// upstream once authz has consumed one.

export interface Names {
  routes: ReadonlyMap<string, RouteName>
  clients: ReadonlyMap<string, ClientName>
  /** The real API keys, by client. */
  keys: Readonly<Record<ClientName, string>>
}

export type Outcome =
  | { kind: 'refused'; status: number | 'closed' }
  | { kind: 'not_served'; status: number }
  | { kind: 'served'; route: RouteName }

export interface Violation {
  what: 'route' | 'client' | 'credential'
  detail: string
  reply: UpstreamReply
}

/** `replyHeader`: the upstream's reply header (reply.ts), the only account of a HEAD, which has no body. */
export function outcome(
  status: number | 'closed',
  body: string,
  replyHeader?: string,
): { outcome: Outcome; reply?: UpstreamReply } {
  if (status === 'closed') return { outcome: { kind: 'refused', status } }
  let parsed: unknown
  try {
    parsed = JSON.parse(replyHeader === undefined ? body : Buffer.from(replyHeader, 'base64').toString())
  } catch {
    return { outcome: { kind: 'refused', status } }
  }
  if (!isUpstreamReply(parsed)) return { outcome: { kind: 'refused', status } }
  if (parsed.served === null) return { outcome: { kind: 'not_served', status }, reply: parsed }
  return { outcome: { kind: 'served', route: parsed.served }, reply: parsed }
}

function decodedForms(text: string): string[] {
  const forms = [text]
  let current = text
  for (let i = 0; i < 3; i++) {
    let next: string
    try {
      next = decodeURIComponent(current.replaceAll('+', ' '))
    } catch {
      next = unescape(current)
    }
    if (next === current) break
    forms.push(next)
    current = next
  }
  return forms
}

/**
 * Values of query parameters some framework could read as `api_key`: the name decoded (repeatedly), case-folded,
 * with an array suffix (`[]`, `[0]`), NUL and surrounding blanks ignored, a space or dot read as `_` (PHP);
 * `&` and `;` both separate.
 */
function apiKeyParameterValues(target: string): string[] {
  const q = target.indexOf('?')
  if (q < 0) return []
  const values: string[] = []
  for (const pair of target.slice(q + 1).split(/[&;]/)) {
    const eq = pair.indexOf('=')
    const rawName = eq < 0 ? pair : pair.slice(0, eq)
    const name = (decodedForms(rawName).at(-1) ?? '')
      .toLowerCase()
      .replaceAll('\0', '')
      .replace(/\[[^\]]*\]$/, '')
      .trim()
      // PHP reads a space or a dot in a name as `_`.
      .replace(/[\s.]/g, '_')
    if (name === 'api_key') values.push(...decodedForms(eq < 0 ? '' : pair.slice(eq + 1)))
  }
  return values
}

export function judge(c: ParityCase, reply: UpstreamReply, names: Names): Violation | undefined {
  if (reply.served === null) return undefined
  const authorized = reply.routeId === null ? undefined : names.routes.get(reply.routeId)
  if (authorized !== reply.served) {
    return {
      what: 'route',
      detail: `${reply.upstream} served ${reply.served}, authz authorized ${authorized ?? `(route id ${reply.routeId})`}`,
      reply,
    }
  }
  const clientId = reply.clientId ?? ''
  const client = clientId === '' ? undefined : names.clients.get(clientId)
  if (clientId !== '' && client === undefined) {
    return { what: 'client', detail: `unknown client id ${clientId} reached the upstream`, reply }
  }
  if (!permitted(reply.served, c.method, client)) {
    return {
      what: 'client',
      detail: `${reply.upstream} served ${reply.served} (${c.method}) to ${client ?? 'an anonymous client'}`,
      reply,
    }
  }
  if (client !== undefined) {
    // The credential authz consumed, in any spelling, and any other key where an upstream would read one.
    const consumed = names.keys[client]
    const seen = [reply.authorization ?? '', ...decodedForms(reply.target)]
    if (seen.some((text) => text.includes(consumed))) {
      return {
        what: 'credential',
        detail: `client ${client}'s key reached ${reply.upstream} after authz used it`,
        reply,
      }
    }
    for (const [name, key] of Object.entries(names.keys)) {
      if (
        (reply.authorization ?? '').includes(key) ||
        apiKeyParameterValues(reply.target).some((v) => v.includes(key))
      ) {
        return {
          what: 'credential',
          detail: `client ${name}'s key reached ${reply.upstream} as a credential after authz authenticated ${client}`,
          reply,
        }
      }
    }
  }
  return undefined
}
