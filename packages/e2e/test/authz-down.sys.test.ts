import { send } from '@gatekeeper/testkit/http'
import { describe, expect, it } from 'vitest'
import { useStack } from '../src/use-stack'

// When authz is gone or wedged, nginx must answer a clean 503 quickly (its 1 s timeouts), never hang and never
// let the request through; and it must recover by itself once authz is back.

const { stack, nginx } = useStack()

async function request() {
  const before = stack.upstream.hits
  const reply = await send({ port: nginx.port, path: '/pub/availability', timeoutMs: 10_000 })
  return { ...reply, forwarded: stack.upstream.hits - before }
}

function expectUnavailable(reply: Awaited<ReturnType<typeof request>>, withinMs: number): void {
  expect(reply.status).toBe(503)
  expect(JSON.parse(reply.body)).toEqual({ allowed: false, reason: 'authorization_unavailable' })
  expect(reply.forwarded).toBe(0)
  expect(reply.ms).toBeLessThan(withinMs)
}

describe('authz unavailable', () => {
  it('answers 503 within the read timeout while authz is wedged, and recovers when it resumes', async () => {
    expect((await request()).status).toBe(200)
    stack.authz.process.signal('SIGSTOP')
    try {
      const reply = await request()
      expectUnavailable(reply, 2000)
      // The 1 s read timeout, not an immediate refusal: the connection was accepted by the kernel.
      expect(reply.ms).toBeGreaterThanOrEqual(900)
    } finally {
      stack.authz.process.signal('SIGCONT')
    }
    expect((await request()).status).toBe(200)
  })

  it('answers 503 at once while authz is stopped, and recovers when it is back', async () => {
    expect((await request()).status).toBe(200)
    stack.authz.process.signal('SIGKILL')
    await stack.authz.process.exited
    for (let i = 0; i < 5; i++) expectUnavailable(await request(), 1000)
    await stack.authz.restart()
    const reply = await request()
    expect(reply.status).toBe(200)
    expect(reply.forwarded).toBe(1)
  })
})
