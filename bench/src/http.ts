import { Agent, request } from 'node:http'

// Requests the orchestrator makes itself: readiness and /health polls, and the one-request check of each
// scenario before it is measured. Keep-alive, so tight polling (propagation) does not pile up TIME_WAIT sockets.

export interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

export function keepAliveAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 4 })
}

const shared = keepAliveAgent()

export function httpGet(
  port: number,
  path: string,
  headers: Readonly<Record<string, string>> = {},
  agent: Agent = shared,
  timeoutMs = 2000,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent, timeout: timeoutMs }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        body += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(`GET ${path} on port ${port}: no reply within ${timeoutMs} ms`)))
    req.on('error', reject)
    req.end()
  })
}

/** The config version in authz's /health, or undefined while it has none. */
export async function healthVersion(port: number, agent?: Agent): Promise<number | undefined> {
  const reply = await httpGet(port, '/health', {}, agent)
  const parsed: unknown = JSON.parse(reply.body)
  if (typeof parsed !== 'object' || parsed === null || !('snapshot' in parsed)) return undefined
  const snapshot: unknown = parsed.snapshot
  if (typeof snapshot !== 'object' || snapshot === null || !('version' in snapshot)) return undefined
  return typeof snapshot.version === 'number' ? snapshot.version : undefined
}
