import { send } from '@gatekeeper/testkit/http'
import { describe, expect, it } from 'vitest'
import { useStack } from '../src/use-stack'

// Paths that try to reach /secret/* (api_key, granted to `insider` only) through the public /pub/* route. nginx
// matches locations on its normalised $uri but proxies the raw $request_uri; authz decides on that raw URI
// without resolving anything, and refuses (400 ambiguous_path) any target another program could read
// differently. Whatever the trick, an anonymous request must be refused cleanly (a 4xx, never a 5xx) and reach
// nothing upstream.

const { stack, scenario: s, nginx } = useStack()

async function anonymous(path: string) {
  const before = stack.upstream.hits
  const reply = await send({ port: nginx.port, path })
  return { status: reply.status, reason: reply.headers['x-auth-reason'], forwarded: stack.upstream.hits - before }
}

describe('an anonymous request never reaches /secret/* by a path trick', () => {
  // [trick, what refuses it]: authz (400 ambiguous_path) or nginx itself (400, no reason).
  it.each([
    ['/pub/../secret/x', 400, 'ambiguous_path'],
    ['/pub/%2e%2e/secret/x', 400, 'ambiguous_path'],
    ['/pub/%2E%2E/secret/x', 400, 'ambiguous_path'],
    ['/pub/.%2e/secret/x', 400, 'ambiguous_path'],
    ['/pub//..//secret/x', 400, 'ambiguous_path'],
    ['//secret/x', 400, 'ambiguous_path'],
    ['/pub/./../secret/x', 400, 'ambiguous_path'],
    ['/pub;/../secret/x', 400, 'ambiguous_path'],
    ['/pub/..%2Fsecret/x', 400, 'ambiguous_path'],
    ['/pub/%2F..%2Fsecret/x', 400, 'ambiguous_path'],
    ['/pub/..;/secret/x', 400, 'ambiguous_path'],
    ['/pub/..%3B/secret/x', 400, 'ambiguous_path'],
    ['/pub/..%5Csecret/x', 400, 'ambiguous_path'],
    ['/pub/%252e%252e/secret/x', 400, 'ambiguous_path'],
    ['/pub/%c0%ae%c0%ae/secret/x', 400, 'ambiguous_path'],
    ['/SECRET/x', 400, 'ambiguous_path'],
    ['/pub/%73ecret', 400, 'ambiguous_path'],
    ['/../secret/x', 400, undefined],
    ['/pub/../../secret/x', 400, undefined],
    ['/pub/%00/../secret/x', 400, undefined],
    ['/pub/%zz/../secret/x', 400, undefined],
  ])('%s -> %i', async (path, status, reason) => {
    const result = await anonymous(path)
    expect(result).toEqual({ status, reason, forwarded: 0 })
  })
})

describe('one interpretation: decided as sent, or refused', () => {
  it.each(['/pub/a/../b', '/pub/./b', '/pub//b', '/pub/%62'])(
    'refuses %s even on the public route, and forwards nothing',
    async (path) => {
      const result = await anonymous(path)
      expect(result).toEqual({ status: 400, reason: 'ambiguous_path', forwarded: 0 })
    },
  )

  it.each(['/pub/b', '/pub/a/b/', '/pub/ABC-123', '/pub/caf%C3%A9', '/pub/a@b'])(
    'keeps the canonical %s on the public route, and the upstream receives it as sent',
    async (path) => {
      const reply = await send({ port: nginx.port, path })
      expect(reply.status).toBe(200)
      expect(JSON.parse(reply.body)).toMatchObject({ url: path })
    },
  )

  it('refuses /pub/%2e%2e/secret/x even for a client allowed on /secret', async () => {
    const before = stack.upstream.hits
    const path = '/pub/%2e%2e/secret/x'
    const reply = await send({ port: nginx.port, path, headers: { Authorization: `Bearer ${s.insider.apiKey}` } })
    expect(reply.status).toBe(400)
    expect(reply.headers['x-auth-reason']).toBe('ambiguous_path')
    expect(stack.upstream.hits - before).toBe(0)
  })

  it('does not let a /pub-only client use /secret through a trick', async () => {
    const reply = await send({
      port: nginx.port,
      path: '/pub/../secret/x',
      headers: { Authorization: `Bearer ${s.alice.apiKey}` },
    })
    expect(reply.status).toBe(400)
    expect(reply.headers['x-auth-reason']).toBe('ambiguous_path')
  })

  it('matches the prefix on a segment boundary: /secretX is not /secret/*', async () => {
    const result = await anonymous('/secretX/y')
    expect(result).toEqual({ status: 403, reason: 'no_route_match', forwarded: 0 })
  })
})
