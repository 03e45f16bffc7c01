/** Every screen of the console, matched from the hash path. */
export type Screen =
  | { name: 'overview' }
  | { name: 'routes' }
  | { name: 'route-new' }
  | { name: 'route-edit'; routeId: string }
  | { name: 'clients' }
  | { name: 'permissions' }
  | { name: 'rate-limits' }
  | { name: 'admins' }
  | { name: 'tokens' }
  | { name: 'audit' }
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
  '/sign-in': { name: 'sign-in' },
  '/register': { name: 'register' },
  '/verify-email': { name: 'verify-email' },
  '/forgot-password': { name: 'forgot-password' },
  '/reset-password': { name: 'reset-password' },
}

export function matchScreen(path: string): Screen {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
  const known = STATIC[trimmed]
  if (known !== undefined) return known
  const edit = /^\/routes\/([^/]+)$/.exec(trimmed)
  if (edit?.[1] !== undefined) return { name: 'route-edit', routeId: decodeURIComponent(edit[1]) }
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
