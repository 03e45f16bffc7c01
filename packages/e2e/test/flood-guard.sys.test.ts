import { type Reply, send } from '@gatekeeper/testkit/http'
import { describe, expect, it } from 'vitest'
import { replaceDirective } from '../src/mutate'
import { useStack } from '../src/use-stack'

// The per-address guard docs/nginx.md recommends against a flood of made-up credentials: limit_req runs in nginx's
// preaccess phase, before auth_request, so a refused request never costs authz a decision. A low rate here keeps
// the test quick; the shipped config itself has no limit (the guard is the operator's choice of numbers).

const RATE = 5
const BURST = 5
const FLOODER = '127.0.0.3'
const VALID_CLIENT = '127.0.0.2'

function withFloodGuard(text: string): string {
  const zone = `limit_req_zone $binary_remote_addr zone=gk_flood:1m rate=${RATE}r/s;\n`
  const guarded = replaceDirective(
    text,
    'location / {',
    'auth_request /_gatekeeper/authz;',
    `limit_req zone=gk_flood burst=${BURST} nodelay;\n        limit_req_status 429;\n        auth_request /_gatekeeper/authz;`,
  )
  return zone + guarded
}

const { stack, scenario, nginx } = useStack('protected-api.conf', {}, { mutate: withFloodGuard })

describe('a credential flood from one address, with limit_req before auth_request', () => {
  it('is cut off by nginx before authz, while a valid client on another address keeps getting 200', async () => {
    const flood = (i: number) =>
      send({
        port: nginx.port,
        path: `/key/items?n=${i}`,
        localAddress: FLOODER,
        headers: { Authorization: `Bearer gk_made_up_${i}_${'x'.repeat(24)}` },
      })
    const valid = () =>
      send({
        port: nginx.port,
        path: '/key/items',
        localAddress: VALID_CLIENT,
        headers: { Authorization: `Bearer ${scenario.alice.apiKey}` },
      })

    const started = performance.now()
    const flooded: Reply[] = []
    const served: Reply[] = []
    for (let wave = 0; wave < 3; wave++) {
      const [floodReplies, validReply] = await Promise.all([
        Promise.all(Array.from({ length: 20 }, (_, i) => flood(wave * 20 + i))),
        valid(),
      ])
      flooded.push(...floodReplies)
      served.push(validReply)
    }
    const seconds = (performance.now() - started) / 1000

    expect(served.map((reply) => reply.status)).toEqual([200, 200, 200])

    // What got past nginx was answered by authz (401, made-up key); the rest nginx refused with its own page.
    const passed = flooded.filter((reply) => reply.status !== 429)
    const refused = flooded.filter((reply) => reply.status === 429)
    expect(passed.every((reply) => reply.status === 401)).toBe(true)
    expect(refused.every((reply) => reply.body.includes('<title>429 Too Many Requests</title>'))).toBe(true)

    // The token bucket admits the burst plus one, then RATE per second of the flood (rounded up).
    const admitted = BURST + 1 + Math.ceil(RATE * seconds)
    expect(passed.length).toBeLessThanOrEqual(admitted)
    expect(refused.length).toBeGreaterThanOrEqual(flooded.length - admitted)

    // authz's own record: one decision per request that got past nginx, none for the refused ones.
    for (const reply of passed) await stack.authz.auditFor(reply.headers['x-request-id'] ?? 'missing')
    const decided = stack.authz.audit().filter((line) => line.client_ip === FLOODER)
    expect(decided.length).toBe(passed.length)
    expect(decided.every((line) => line.reason === 'invalid_credentials')).toBe(true)
  })
})
