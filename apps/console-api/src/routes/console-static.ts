import { existsSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Context, Hono } from 'hono'
import type { AppEnv } from '../context'
import { notFound } from '../errors'

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
}

const IMMUTABLE = 'public, max-age=31536000, immutable'

/** The file under `root` a relative URL path names, or null when it would leave `root` or does not exist. */
function fileUnder(root: string, relative: string): string | null {
  if (relative === '' || relative.includes('\0') || relative.includes('\\')) return null
  const file = path.resolve(root, relative)
  if (!file.startsWith(root + path.sep)) return null
  try {
    return statSync(file).isFile() ? file : null
  } catch {
    return null
  }
}

async function sendFile(c: Context<AppEnv>, file: string, cacheControl: string): Promise<Response> {
  const body = await readFile(file)
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream'
  return c.body(body, 200, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': cacheControl })
}

/**
 * The web console's build (apps/console/dist) under `/console/`, as docs/console.md describes: hashed
 * assets cached for a year and never answered with index.html, index.html otherwise not cached, a
 * one-segment fallback for path-style links from emails, 404 deeper down. Off when the directory is
 * missing. Returns whether it was mounted.
 */
export function mountConsoleStatic(app: Hono<AppEnv>, distDir: string | undefined): boolean {
  if (distDir === undefined) return false
  const root = path.resolve(distDir)
  const index = path.join(root, 'index.html')
  if (!existsSync(index)) return false

  app.get('/console', (c) => c.redirect('/console/', 308))
  app.get('/console/', (c) => sendFile(c, index, 'no-cache'))
  app.get('/console/assets/:file{.+}', (c) => {
    const file = fileUnder(path.join(root, 'assets'), c.req.param('file'))
    return file === null ? notFound(c) : sendFile(c, file, IMMUTABLE)
  })
  app.get('/console/:segment', (c) => {
    const file = fileUnder(root, c.req.param('segment'))
    return sendFile(c, file ?? index, 'no-cache')
  })
  return true
}
