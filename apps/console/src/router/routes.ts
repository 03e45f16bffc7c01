import { parse } from 'regexparam'
import { matchRoute } from 'wouter'

/** Every screen of the console, matched from the hash path. */
export type Screen =
  | { name: 'overview' }
  | { name: 'routes' }
  | { name: 'route-new' }
  | { name: 'route-edit'; routeId: string }
  | { name: 'clients' }
  | { name: 'client'; clientId: string }
  | { name: 'permissions' }
  | { name: 'rate-limits' }
  | { name: 'admins' }
  | { name: 'tokens' }
  | { name: 'audit' }
  | { name: 'changesets' }
  | { name: 'changeset'; changesetId: string }
  | { name: 'sign-in' }
  | { name: 'register' }
  | { name: 'verify-email' }
  | { name: 'forgot-password' }
  | { name: 'reset-password' }
  | { name: 'not-found' }

type ScreenName = Screen['name']

/**
 * The screen of each path pattern, first match wins (so `/routes/new` is not the route `new`). Patterns are
 * wouter's (regexparam): `:id` is one path segment, a trailing slash is optional.
 */
const PATTERNS: ReadonlyArray<[string, (id: string) => Screen]> = [
  ...(
    [
      ['/', 'overview'],
      ['/routes', 'routes'],
      ['/routes/new', 'route-new'],
      ['/clients', 'clients'],
      ['/permissions', 'permissions'],
      ['/rate-limits', 'rate-limits'],
      ['/admins', 'admins'],
      ['/tokens', 'tokens'],
      ['/audit', 'audit'],
      ['/changesets', 'changesets'],
      ['/sign-in', 'sign-in'],
      ['/register', 'register'],
      ['/verify-email', 'verify-email'],
      ['/forgot-password', 'forgot-password'],
      ['/reset-password', 'reset-password'],
    ] as const
  ).map(([pattern, name]): [string, () => Screen] => [pattern, () => ({ name }) as Screen]),
  ['/routes/:id', (routeId) => ({ name: 'route-edit', routeId })],
  ['/clients/:id', (clientId) => ({ name: 'client', clientId })],
  ['/changesets/:id', (changesetId) => ({ name: 'changeset', changesetId })],
]

/** A path segment as text; a malformed escape (`%E0`) names no screen rather than throwing while rendering. */
function segment(raw: string): string | null {
  try {
    return decodeURIComponent(raw)
  } catch {
    return null
  }
}

export function matchScreen(path: string): Screen {
  for (const [pattern, screen] of PATTERNS) {
    const [matched, params] = matchRoute<{ id?: string }>(parse, pattern, path)
    if (!matched) continue
    const raw = params?.id
    if (raw === undefined) return screen('')
    const id = segment(raw)
    return id === null ? { name: 'not-found' } : screen(id)
  }
  return { name: 'not-found' }
}

const AUTH_SCREENS = new Set<ScreenName>(['sign-in', 'register', 'verify-email', 'forgot-password', 'reset-password'])

/** Screens reachable without a session. */
export function isAuthScreen(screen: Screen): boolean {
  return AUTH_SCREENS.has(screen.name)
}
