import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { send } from '../src/http'
import { createScenario, type Scenario } from '../src/scenario'
import { type Stack, type StackNginx, startStack } from '../src/stack'

// Paths that try to reach /secret/* (api_key, granted to `insider` only) through the public /pub/* route. nginx
// matches locations on its normalised $uri but proxies the raw $request_uri; authz decides on the raw URI,
// normalised the way nginx does and refusing what another parser could read differently. Whatever the trick,
// an anonymous request must be refused cleanly (a 4xx, never a 5xx) and reach nothing upstream.

let stack: Stack
let nginx: StackNginx
let s: Scenario

beforeAll(async () => {
  stack = await startStack()
  s = await createScenario(stack)
  nginx = await stack.nginx('protected-api.conf')
})

afterAll(async () => {
  await stack?.close()
})

async function anonymous(path: string) {
  const before = stack.upstream.hits
  const reply = await send({ port: nginx.port, path })
  return { status: reply.status, reason: reply.headers['x-auth-reason'], forwarded: stack.upstream.hits - before }
}

describe('an anonymous request never reaches /secret/* by a path trick', () => {
  // [trick, what refuses it]: authz (401 for the normalised /secret path, 400 for an ambiguous one) or nginx (400).
  it.each([
    ['/pub/../secret/x', 401, 'missing_credentials'],
    ['/pub/%2e%2e/secret/x', 401, 'missing_credentials'],
    ['/pub/%2E%2E/secret/x', 401, 'missing_credentials'],
    ['/pub/.%2e/secret/x', 401, 'missing_credentials'],
    ['/pub//..//secret/x', 401, 'missing_credentials'],
    ['//secret/x', 401, 'missing_credentials'],
    ['/pub/./../secret/x', 401, 'missing_credentials'],
    ['/pub;/../secret/x', 401, 'missing_credentials'],
    ['/pub/..%2Fsecret/x', 400, 'bad_request'],
    ['/pub/%2F..%2Fsecret/x', 400, 'bad_request'],
    ['/pub/..;/secret/x', 400, 'bad_request'],
    ['/pub/..%3B/secret/x', 400, 'bad_request'],
    ['/pub/..%5Csecret/x', 400, 'bad_request'],
    ['/pub/%252e%252e/secret/x', 400, 'bad_request'],
    ['/pub/%c0%ae%c0%ae/secret/x', 400, 'bad_request'],
    ['/../secret/x', 400, undefined],
    ['/pub/../../secret/x', 400, undefined],
    ['/pub/%00/../secret/x', 400, undefined],
    ['/pub/%zz/../secret/x', 400, undefined],
  ])('%s -> %i', async (path, status, reason) => {
    const result = await anonymous(path)
    expect(result).toEqual({ status, reason, forwarded: 0 })
  })
})

describe('normalisation works both ways', () => {
  it.each(['/pub/a/../b', '/pub/./b', '/pub//b', '/pub/%62'])(
    'keeps %s on the public route, and the upstream receives it raw',
    async (path) => {
      const reply = await send({ port: nginx.port, path })
      expect(reply.status).toBe(200)
      expect(JSON.parse(reply.body)).toMatchObject({ url: path })
    },
  )

  it('decides on the normalised path: /pub/%2e%2e/secret/x is /secret/x for a client allowed there', async () => {
    const path = '/pub/%2e%2e/secret/x'
    const reply = await send({ port: nginx.port, path, headers: { Authorization: `Bearer ${s.insider.apiKey}` } })
    expect(reply.status).toBe(200)
    const echo: unknown = JSON.parse(reply.body)
    expect(echo).toMatchObject({ url: path, headers: { 'x-auth-route-id': [s.routes.secret] } })
  })

  it('does not let a /pub-only client use /secret through a trick', async () => {
    const reply = await send({
      port: nginx.port,
      path: '/pub/../secret/x',
      headers: { Authorization: `Bearer ${s.alice.apiKey}` },
    })
    expect(reply.status).toBe(403)
    expect(reply.headers['x-auth-reason']).toBe('no_permission')
  })

  it('matches the prefix on a segment boundary: /secretX is not /secret/*', async () => {
    const result = await anonymous('/secretX/y')
    expect(result).toEqual({ status: 403, reason: 'no_route_match', forwarded: 0 })
  })
})
