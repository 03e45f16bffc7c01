import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'

// The protected API: echoes what reached it (method, the raw request target, every header, a digest of the body)
// as JSON, and counts requests, so a test can prove that identity headers arrive on allow and that nothing
// arrives on deny. a path ending in `/__status/<code>` answers with that status (an upstream error must pass through as is).

export interface Echo {
  method: string
  url: string
  /** Lower-case name -> every value in arrival order. */
  headers: Record<string, string[]>
  bodyBytes: number
  /** `sha-256=:<base64>:`, the RFC 9530 Content-Digest of the body received. */
  bodyDigest: string
}

export interface EchoUpstream {
  port: number
  /** Requests received so far. */
  readonly hits: number
  /** Every request received, oldest first. */
  readonly received: readonly Echo[]
  /** TCP connections accepted so far (nginx's keepalive to the API). */
  readonly connections: number
  close(): Promise<void>
}

function headerLists(req: IncomingMessage): Record<string, string[]> {
  const lists: Record<string, string[]> = {}
  const raw = req.rawHeaders
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] ?? '').toLowerCase()
    const list = lists[name] ?? []
    list.push(raw[i + 1] ?? '')
    lists[name] = list
  }
  return lists
}

export function startEchoUpstream(host = '127.0.0.1'): Promise<EchoUpstream> {
  const received: Echo[] = []
  const server: Server = createServer((req, res) => {
    const hash = createHash('sha256')
    let bodyBytes = 0
    req.on('data', (chunk: Buffer) => {
      bodyBytes += chunk.byteLength
      hash.update(chunk)
    })
    req.on('end', () => {
      const echo: Echo = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: headerLists(req),
        bodyBytes,
        bodyDigest: `sha-256=:${hash.digest('base64')}:`,
      }
      received.push(echo)
      const forced = /\/__status\/(\d{3})$/.exec(echo.url)
      const text = JSON.stringify(echo)
      res.writeHead(forced ? Number(forced[1]) : 200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      })
      res.end(text)
    })
  })
  let connections = 0
  server.on('connection', () => {
    connections += 1
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, host, () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      resolve({
        port,
        get hits() {
          return received.length
        },
        received,
        get connections() {
          return connections
        },
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections()
            server.close(() => done())
          }),
      })
    })
  })
}
