// The one Aegis call the admin API makes (GET /api/auth/me, as docs/admin-api.md describes it), enough to drive
// console-api's admin API, Aegis latency and Aegis error metrics. `failing` makes every call a 500.

import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeAegis {
  url: string
  /** A token resolving to a verified user with this email. */
  token(email: string): string
  setFailing(failing: boolean): void
  close(): Promise<void>
}

export async function startFakeAegis(): Promise<FakeAegis> {
  const users = new Map<string, { uuid: string; email: string }>()
  let failing = false
  const server = createServer((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (failing) return json(500, { error: 'internal error' })
    if (req.method === 'GET' && req.url === '/api/auth/me') {
      const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1]
      const user = token === undefined ? undefined : users.get(token)
      if (user === undefined) return json(401, { error: 'invalid or expired token' })
      const now = Math.floor(Date.now() / 1000)
      return json(200, {
        uuid: user.uuid,
        site_uuid: 'site-1',
        email: user.email,
        is_verified: true,
        role: 'user',
        created_at: now,
        updated_at: now,
        deletion_protected: false,
      })
    }
    json(404, { error: 'not found' })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    token(email) {
      const token = `tok_${randomUUID()}`
      users.set(token, { uuid: randomUUID(), email })
      return token
    },
    setFailing(value) {
      failing = value
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
