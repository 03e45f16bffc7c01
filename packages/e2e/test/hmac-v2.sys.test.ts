import { signRequestV1, signRequestV2 } from '@gatekeeper/crypto'
import { type Reply, type SendOptions, send } from '@gatekeeper/testkit/http'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Echo } from '../src/upstream'
import { useStack } from '../src/use-stack'

// HMAC v2 through nginx: the client signs the host, the path with its query and a Content-Digest of the body.
// nginx never shows the body to authz, so authz checks the signature over the digest header and hands the signed
// digest to the upstream as X-Auth-Content-Digest; the upstream compares it with the body it receives.

const HOST = 'api.example.com'

const { stack, scenario: s, nginx } = useStack()
let route: string

beforeAll(async () => {
  route = await stack.cp.route({ pattern: '/v2/*', service: 'v2-api', methods: { POST: 'hmac_v2', GET: 'hmac' } })
  await stack.cp.grant(s.alice.id, route, ['GET', 'POST'])
  await stack.synced()
})

function sign(method: string, path: string, body: string) {
  return signRequestV2({ clientId: s.alice.id, secret: s.alice.secret, method, host: HOST, path, body })
}

async function through(options: Omit<SendOptions, 'port'>): Promise<{ reply: Reply; echo: Echo | undefined }> {
  const before = stack.upstream.hits
  const reply = await send({ port: nginx.port, ...options })
  const echo = stack.upstream.hits > before ? stack.upstream.received[stack.upstream.received.length - 1] : undefined
  return { reply, echo }
}

describe('HMAC v2', () => {
  it('allows a signed POST and gives the upstream the digest to check the body against', async () => {
    const body = JSON.stringify({ order: 42, items: ['a', 'b'] })
    const signed = sign('POST', '/v2/orders?dry_run=1', body)
    const { reply, echo } = await through({
      method: 'POST',
      path: '/v2/orders?dry_run=1',
      headers: { ...signed.headers, 'Content-Type': 'application/json' },
      body,
    })
    expect(reply.status, reply.body).toBe(200)
    expect(echo?.headers['x-auth-client-id']).toEqual([s.alice.id])
    expect(echo?.headers['x-auth-content-digest']).toEqual([signed.contentDigest])
    expect(echo?.bodyDigest).toBe(signed.contentDigest)
  })

  it('a body swapped in transit still passes nginx, but no longer matches the digest the upstream is given', async () => {
    const signed = sign('POST', '/v2/orders', '{"amount":1}')
    const { reply, echo } = await through({
      method: 'POST',
      path: '/v2/orders',
      headers: signed.headers,
      body: '{"amount":1000}',
    })
    expect(reply.status).toBe(200)
    expect(echo?.headers['x-auth-content-digest']).toEqual([signed.contentDigest])
    expect(echo?.bodyDigest).not.toBe(signed.contentDigest)
  })

  it('refuses a Content-Digest changed after signing, before anything reaches the upstream', async () => {
    const signed = sign('POST', '/v2/orders', '{"amount":1}')
    const forged = sign('POST', '/v2/other', '{"amount":1000}').contentDigest
    const { reply, echo } = await through({
      method: 'POST',
      path: '/v2/orders',
      headers: { Authorization: signed.authorization, 'Content-Digest': forged },
      body: '{"amount":1000}',
    })
    expect(reply.status).toBe(401)
    expect(echo).toBeUndefined()
  })

  it('refuses a replay, another query, and a v1 signature where v2 is required', async () => {
    const signed = sign('POST', '/v2/pay?to=alice', '')
    const first = await through({ method: 'POST', path: '/v2/pay?to=alice', headers: signed.headers })
    expect(first.reply.status).toBe(200)
    for (const path of ['/v2/pay?to=alice', '/v2/pay?to=mallory']) {
      const again = await through({ method: 'POST', path, headers: signed.headers })
      expect(again.reply.status).toBe(401)
      expect(again.echo).toBeUndefined()
    }
    const v1 = signRequestV1({ clientId: s.alice.id, secret: s.alice.secret, method: 'POST', path: '/v2/pay' })
    const refused = await through({ method: 'POST', path: '/v2/pay', headers: { Authorization: v1.authorization } })
    expect(refused.reply.status).toBe(401)
    expect(refused.echo).toBeUndefined()
  })

  it('accepts v2 on a method that takes any signature version, GET without a body', async () => {
    const signed = sign('GET', '/v2/status', '')
    const { reply, echo } = await through({ path: '/v2/status', headers: signed.headers })
    expect(reply.status).toBe(200)
    expect(echo?.headers['x-auth-route-id']).toEqual([route])
  })
})
