import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
}

export type ConsoleHost = { url: string; close(): Promise<void> }

/**
 * What console-api or nginx does in production, in miniature: the built console under `/console/`
 * (a bare `/console` redirects there, so relative asset URLs resolve), and `/api/*` proxied to
 * console-api on the same origin.
 */
export async function startConsoleHost(distDir: string, consoleApiUrl: string): Promise<ConsoleHost> {
  const api = new URL(consoleApiUrl)
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    if (path.startsWith('/api/')) {
      const upstream = request(
        { host: api.hostname, port: api.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        },
      )
      upstream.on('error', () => {
        res.writeHead(502).end()
      })
      req.pipe(upstream)
      return
    }
    if (path === '/' || path === '/console') {
      res.writeHead(302, { location: '/console/' }).end()
      return
    }
    if (!path.startsWith('/console/')) {
      res.writeHead(404).end()
      return
    }
    const relative = normalize(decodeURIComponent(path.slice('/console/'.length)) || 'index.html')
    if (relative.startsWith('..')) {
      res.writeHead(400).end()
      return
    }
    const file = join(distDir, relative)
    stat(file).then(
      (info) => {
        if (!info.isFile()) throw new Error('not a file')
        const cache = relative === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable'
        res.writeHead(200, {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'cache-control': cache,
        })
        createReadStream(file).pipe(res)
      },
      () => res.writeHead(404).end(),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
