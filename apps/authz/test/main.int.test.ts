// The deployable: `tsup` bundles src/main.ts, plain `node` runs it, it says which backends it uses, serves,
// and on SIGTERM stops accepting, finishes the request in flight, closes everything, flushes its log, exits 0.

import { spawn } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import { signRequestV1 } from '@gatekeeper/crypto'
import { createTestDatabase } from '@gatekeeper/testkit/postgres'
import { describe, expect, it } from 'vitest'
import { connectRefused, useBundle } from './bundle'
import { eventually, HMAC, routeWithClient } from './harness'

const { world, outDir, start } = useBundle()

describe('node dist/main.js', () => {
  it('refuses to start with a message naming the bad variable', async () => {
    const child = spawn(process.execPath, [path.join(outDir(), 'main.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: world.db.url,
        GATEKEEPER_MASTER_KEY: 'short',
        AUTHZ_PORT: 'x',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString()
    })
    const code = await new Promise((resolve) => child.once('exit', resolve))
    expect(code).toBe(1)
    expect(stderr).toContain('AUTHZ_PORT')
  })

  it('on a database without Gatekeeper tables, denies with 503 and says to run db migrate', async () => {
    const empty = await createTestDatabase({ migrate: false })
    try {
      const a = await start({ DATABASE_URL: empty.url }, { ready: false })
      await eventually(async () => a.lines.some((l) => l.msg === 'config snapshot load failed'), 10_000)
      const failed = a.lines.find((l) => l.msg === 'config snapshot load failed')
      expect(String(failed?.hint)).toContain('gatekeeper db migrate')
      expect((await fetch(`${a.url}/health`)).status).toBe(503)
      a.child.kill('SIGTERM')
      await a.exited
    } finally {
      await empty.drop()
    }
  })

  it('serves, then shuts down gracefully on SIGTERM, finishing the request in flight', async () => {
    const { host, client } = await routeWithClient(
      world.admin,
      { route_pattern: '/p/*', service_name: 'p', methods: { POST: HMAC } },
      { client_name: 'main-test', shared_secret: true },
    )

    const a = await start({ SHUTDOWN_GRACE_MS: '5000' })
    const startLine = a.lines.find((l) => typeof l.port === 'number')
    expect(startLine).toMatchObject({ admission: 'memory' })
    expect(String(startLine?.msg)).toContain('rate limits and nonces in memory')

    // A direct caller posts a signed body slowly: the request is in flight when SIGTERM arrives.
    const body = '{"slow":true}'
    const authorization = signRequestV1({
      clientId: client.client_id,
      secret: client.shared_secret ?? '',
      method: 'POST',
      path: '/p/1',
      timestamp: Math.floor(Date.now() / 1000),
      body,
    }).authorization
    const socket = net.connect(a.port, '127.0.0.1')
    let response = ''
    socket.setEncoding('utf8')
    socket.on('data', (d: string) => {
      response += d
    })
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
    socket.write(
      `POST /authz HTTP/1.1\r\nHost: x\r\nX-Original-URI: /p/1\r\nX-Original-Method: POST\r\nX-Original-Host: ${host}\r\n` +
        `Authorization: ${authorization}\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
    )
    await new Promise((r) => setTimeout(r, 100))

    a.child.kill('SIGTERM')
    await eventually(() => connectRefused(a.port), 3000)
    expect(a.child.exitCode).toBeNull() // still finishing the request

    socket.write(body.slice(5))
    await eventually(async () => response.includes('\r\n\r\n'), 3000)
    expect(response).toMatch(/^HTTP\/1\.1 200 /)
    expect(response.toLowerCase()).toContain(`x-auth-client-id: ${client.client_id}`)
    socket.destroy()

    expect(await a.exited).toBe(0)
    const messages = a.lines.map((l) => l.msg)
    expect(messages).toContain('shutting down')
    expect(messages.at(-1)).toBe('authz stopped') // the async log was flushed before exit
    expect(a.lines.filter((l) => l.msg === 'authz decision')).toHaveLength(1)
  })
})
