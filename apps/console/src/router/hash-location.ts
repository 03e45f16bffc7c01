import { useSyncExternalStore } from 'react'
import { useSearch } from 'wouter'
import { matchScreen } from './routes'

export type AppLocation = { path: string; query: URLSearchParams }

/** `#/routes/abc?x=1` → `{ path: '/routes/abc', query: x=1 }`; an empty hash is `/`. */
export function parseHash(hash: string): AppLocation {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash
  const [pathPart = '', queryPart = ''] = raw.split('?', 2)
  const path = pathPart.startsWith('/') ? pathPart : `/${pathPart}`
  return { path, query: new URLSearchParams(queryPart) }
}

export function toHash(path: string, query?: Record<string, string>): string {
  const params = new URLSearchParams(query).toString()
  return `#${path}${params === '' ? '' : `?${params}`}`
}

/** The current route as a hash path (`/routes?x=1`), used as a `next` target after sign-in. */
export function currentTarget(): string {
  const { path, query } = parseHash(window.location.hash)
  const text = query.toString()
  return text === '' ? path : `${path}?${text}`
}

/** Only in-app paths are accepted as a return target: never another origin (`//evil`), never a scheme. */
export function safeTarget(next: string | null): string {
  if (next === null || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/'
  return next
}

/**
 * A path-style link (`…/console/clients`, an emailed `…/console/verify-email?token=…`) is served
 * index.html by the server's fallback. Turns such a URL into the hash route the app uses
 * (`…/console/#/clients`), without a reload, when its last segment names a screen. Returns whether it
 * rewrote the URL.
 */
export function adoptPathLink(): boolean {
  const { pathname, search, hash } = window.location
  if (hash !== '' && hash !== '#') return false
  const segment = pathname.split('/').pop() ?? ''
  if (segment === '' || matchScreen(`/${segment}`).name === 'not-found') return false
  const base = pathname.slice(0, pathname.length - segment.length)
  window.history.replaceState(window.history.state, '', `${base}#/${segment}${search}`)
  return true
}

/**
 * Goes to a hash route (`/clients?unused_for=90d`). The query stays inside the hash, where the console has
 * always kept it (wouter's own hash navigation would move it into the page's search string).
 */
export function navigate(target: string, opts: { replace?: boolean } = {}): void {
  const hash = target.startsWith('#') ? target : `#${target}`
  if (opts.replace) {
    window.history.replaceState(window.history.state, '', hash)
    window.dispatchEvent(new HashChangeEvent('hashchange'))
  } else {
    window.location.hash = hash
  }
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange)
  return () => window.removeEventListener('hashchange', onChange)
}

const hashSnapshot = () => window.location.hash

/**
 * wouter decodes the location (and the search) with decodeURI before it matches; escaping every `%` first makes
 * that a no-op, so the screen sees the address exactly as written and decodes an id itself (`c%2F1` is the id
 * `c/1`, a malformed `%E0` is no screen).
 */
const keepEscapes = (text: string) => text.replaceAll('%', '%25')

/** wouter's location hook for the console: the hash's path, without its query. */
export function useHashPath(): [string, typeof navigate] {
  const hash = useSyncExternalStore(subscribe, hashSnapshot, hashSnapshot)
  return [keepEscapes(parseHash(hash).path), navigate]
}

/** wouter's search hook for the console: the query written inside the hash (`#/clients?unused_for=90d`). */
function useHashSearch(): string {
  const hash = useSyncExternalStore(subscribe, hashSnapshot, hashSnapshot)
  return keepEscapes(parseHash(hash).query.toString())
}
useHashPath.searchHook = useHashSearch
useHashPath.hrefs = (href: string) => `#${href}`

/** The query written in the hash (`#/clients?unused_for=90d`), through wouter's search hook. */
export function useHashQuery(): URLSearchParams {
  return new URLSearchParams(useSearch())
}
