import { signRequestV1 } from '@gatekeeper/crypto'
import { type SendOptions, send } from '@gatekeeper/testkit/http'
import { describe, expect, it } from 'vitest'
import { useStack } from '../src/use-stack'

// nginx/public-cache.conf: authz's answers to credential-less requests are cached for a few seconds; anything
// carrying a credential always asks authz, so a revocation applies at once and a signed request cannot replay.

const { stack, scenario: s, nginx } = useStack('public-cache.conf')

async function decisions(path: string, options: Omit<SendOptions, 'port' | 'path'> = {}, times = 3) {
  const before = stack.authz.audit().length
  const caches: Array<string | undefined> = []
  const statuses: number[] = []
  for (let i = 0; i < times; i++) {
    const reply = await send({ port: nginx.port, path, ...options })
    caches.push(reply.headers['x-gatekeeper-decision-cache'])
    statuses.push(reply.status)
  }
  // Audit lines are written asynchronously: give the last one a moment.
  await new Promise((resolve) => setTimeout(resolve, 200))
  return { statuses, caches, askedAuthz: stack.authz.audit().length - before }
}

describe('public requests', () => {
  it('asks authz once, then answers from the cache', async () => {
    const result = await decisions('/pub/cached?page=1')
    expect(result).toEqual({ statuses: [200, 200, 200], caches: ['MISS', 'HIT', 'HIT'], askedAuthz: 1 })
  })

  it('keys the cache on method, host and raw URI', async () => {
    expect((await decisions('/pub/cached?page=2', {}, 1)).caches).toEqual(['MISS'])
    expect((await decisions('/pub/cached/?page=2', {}, 1)).caches).toEqual(['MISS'])
    // A target with two readings is refused (400 ambiguous_path), and a refusal is never cached.
    expect(await decisions('/pub//cached?page=2', {}, 2)).toMatchObject({ statuses: [400, 400], askedAuthz: 2 })
    expect((await decisions('/pub/cached?page=2', { method: 'POST' }, 1)).statuses).toEqual([401])
  })

  it('does not cache denials', async () => {
    const result = await decisions('/nowhere/at/all')
    expect(result.statuses).toEqual([403, 403, 403])
    expect(result.askedAuthz).toBe(3)
  })
})

describe('requests with credentials never touch the cache', () => {
  it.each([
    ['an Authorization header', '/pub/with-key', () => ({ headers: { Authorization: `Bearer ${s.alice.apiKey}` } })],
    ['?api_key=', '/pub/with-key', () => ({ query: `?api_key=${encodeURIComponent(s.alice.apiKey)}` })],
    ['?api%5Fkey= (a name authz decodes)', '/pub/with-key', () => ({ query: `?api%5Fkey=${s.alice.apiKey}` })],
  ])('%s', async (_how, path, make) => {
    const made: { headers?: Record<string, string>; query?: string } = make()
    const result = await decisions(`${path}${made.query ?? ''}`, made.headers ? { headers: made.headers } : {})
    expect(result.statuses).toEqual([200, 200, 200])
    expect(result.caches).toEqual(['BYPASS', 'BYPASS', 'BYPASS'])
    expect(result.askedAuthz).toBe(3)
  })

  it('a suspension applies to the very next request', async () => {
    const client = await stack.cp.client({ name: 'soon-suspended' })
    await stack.cp.grant(client.id, s.routes.key, ['GET'])
    await stack.synced()
    const key = { headers: { Authorization: `Bearer ${client.apiKey}` } }
    expect((await decisions('/key/revocable', key, 2)).statuses).toEqual([200, 200])
    await stack.cp.setStatus(client.id, 'suspended')
    await stack.synced()
    expect((await decisions('/key/revocable', key, 1)).statuses).toEqual([403])
  })

  it('a signed request cannot be replayed from the cache', async () => {
    const authorization = signRequestV1({
      clientId: s.alice.id,
      secret: s.alice.secret,
      method: 'GET',
      path: '/hmac/cache',
    }).authorization
    const result = await decisions('/hmac/cache', { headers: { Authorization: authorization } }, 2)
    expect(result.statuses).toEqual([200, 401])
    expect(result.askedAuthz).toBe(2)
  })
})
