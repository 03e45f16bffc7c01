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

const STATIC: Record<string, Screen> = {
  '/': { name: 'overview' },
  '/routes': { name: 'routes' },
  '/routes/new': { name: 'route-new' },
  '/clients': { name: 'clients' },
  '/permissions': { name: 'permissions' },
  '/rate-limits': { name: 'rate-limits' },
  '/admins': { name: 'admins' },
  '/tokens': { name: 'tokens' },
  '/audit': { name: 'audit' },
  '/changesets': { name: 'changesets' },
  '/sign-in': { name: 'sign-in' },
  '/register': { name: 'register' },
  '/verify-email': { name: 'verify-email' },
  '/forgot-password': { name: 'forgot-password' },
  '/reset-password': { name: 'reset-password' },
}

/** A path segment as text; a malformed escape (`%E0`) names no screen rather than throwing while rendering. */
function segment(raw: string): string | null {
  try {
    return decodeURIComponent(raw)
  } catch {
    return null
  }
}

export function matchScreen(path: string): Screen {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
  const known = STATIC[trimmed]
  if (known !== undefined) return known
  const [, section, raw, extra] = trimmed.split('/')
  const id = raw === undefined || raw === '' || extra !== undefined ? null : segment(raw)
  if (id !== null && section === 'routes') return { name: 'route-edit', routeId: id }
  if (id !== null && section === 'clients') return { name: 'client', clientId: id }
  if (id !== null && section === 'changesets') return { name: 'changeset', changesetId: id }
  return { name: 'not-found' }
}

const AUTH_SCREENS = new Set<Screen['name']>([
  'sign-in',
  'register',
  'verify-email',
  'forgot-password',
  'reset-password',
])

/** Screens reachable without a session. */
export function isAuthScreen(screen: Screen): boolean {
  return AUTH_SCREENS.has(screen.name)
}
