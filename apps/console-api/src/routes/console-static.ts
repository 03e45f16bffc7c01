import { existsSync } from 'node:fs'
import path from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import type { Context, Hono } from 'hono'
import type { AppEnv } from '../context'
import { notFound } from '../errors'

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
}

const IMMUTABLE = 'public, max-age=31536000, immutable'
const PREFIX = '/console'

/**
 * The web console's build (apps/console/dist) under `/console/`, as docs/console.md describes: hashed
 * assets cached for a year and never answered with index.html; index.html otherwise, not cached. A
 * one-segment path that names no file (`/console/clients`, an emailed `/console/verify-email?token=…`)
 * gets index.html, and the app turns it into its hash route; a deeper one (`/console/routes/<id>`) is
 * redirected to that hash route, because relative asset URLs would resolve wrongly from there. Off when
 * the directory holds no index.html. Returns whether it was mounted.
 *
 * Files come from serveStatic, which refuses `..` segments, backslashes and any percent-escape in the
 * path, so nothing outside the build can be named.
 */
export function mountConsoleStatic(app: Hono<AppEnv>, distDir: string | undefined): boolean {
  if (distDir === undefined) return false
  const root = path.resolve(distDir)
  if (!existsSync(path.join(root, 'index.html'))) return false
  const assets = path.join(root, 'assets') + path.sep

  const files = serveStatic<AppEnv>({
    root,
    rewriteRequestPath: (p) => p.slice(PREFIX.length),
    onFound: (file, c) => {
      c.header('Cache-Control', path.resolve(file).startsWith(assets) ? IMMUTABLE : 'no-cache')
    },
  })
  const index = serveStatic<AppEnv>({
    root,
    path: 'index.html',
    onFound: (_file, c) => {
      c.header('Cache-Control', 'no-cache')
    },
  })

  app.get(PREFIX, (c) => c.redirect(`${PREFIX}/`, 308))
  app.use(`${PREFIX}/*`, async (c, next) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value)
    await next()
  })
  app.get(
    `${PREFIX}/*`,
    files,
    async (c, next) => {
      const rest = c.req.path.slice(PREFIX.length + 1)
      if (rest === 'assets' || rest.startsWith('assets/')) return notFound(c)
      if (rest.includes('/')) return c.redirect(hashRoute(c), 302)
      await next()
    },
    index,
    // index.html vanished after start (a rebuild in progress): a plain 404 rather than an empty answer.
    (c) => notFound(c),
  )
  return true
}

/** `/console/routes/abc?x=1` → `/console/#/routes/abc?x=1`: always under /console/, so never another origin. */
function hashRoute(c: Context<AppEnv>): string {
  const url = new URL(c.req.url)
  return `${PREFIX}/#/${url.pathname.slice(PREFIX.length + 1)}${url.search}`
}
