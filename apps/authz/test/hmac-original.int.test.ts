// A request signed by the original system's algorithm, computed independently (fixtures/sign_original.py,
// Python's hmac/hashlib), is accepted by a running authz with a secret issued by the admin operations;
// the same request replayed is refused.

import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { ACTOR, API_KEY, eventually, HMAC, original, routeWithClient, useAuthz } from './harness'

const run = promisify(execFile)
const SIGNER = fileURLToPath(new URL('./fixtures/sign_original.py', import.meta.url))
// The system interpreter when there is one: version-manager shims add a third of a second per call.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'

async function signOriginal(a: {
  clientId: string
  secret: string
  method: string
  path: string
  body?: string
  timestamp?: number
  nonce?: string
}): Promise<string> {
  const args = [SIGNER, a.clientId, a.secret, a.method, a.path, a.body ?? '', String(a.timestamp ?? ''), a.nonce ?? '']
  const { stdout } = await run(PYTHON, args)
  return stdout.trim()
}

const { world, authz } = useAuthz()
let host: string
let clientId: string
let secret: string

beforeAll(async () => {
  const created = await routeWithClient(
    world.admin,
    { route_pattern: '/orders/*', service_name: 'orders', methods: { DELETE: HMAC, POST: API_KEY } },
    { client_name: 'signer', shared_secret: true },
  )
  host = created.host
  clientId = created.client.client_id
  secret = created.client.shared_secret ?? ''
  await eventually(async () => authz.server.manager.current()?.hmacSecrets(clientId) !== undefined, 1000)
})

const ask = (headers: Record<string, string>, init?: RequestInit) => authz.decision(headers, init)

describe('HMAC requests signed by the original algorithm', () => {
  it('is accepted once; the identical request replayed is replayed_nonce', async () => {
    const authorization = await signOriginal({ clientId, secret, method: 'DELETE', path: '/orders/17' })
    // The query string is not signed (the original signs the path only).
    const headers = original('DELETE', host, '/orders/17?force=true', { Authorization: authorization })
    const first = await authz.authz(headers)
    expect(first.status).toBe(200)
    expect(first.headers.get('x-auth-client-id')).toBe(clientId)
    expect(first.headers.get('x-auth-client-name')).toBe('signer')
    // and under the names the original answered with, which its nginx configs pass upstream
    expect(first.headers.get('x-client-id')).toBe(clientId)
    expect(first.headers.get('x-client-name')).toBe('signer')
    expect(first.headers.get('x-route-id')).toBe(first.headers.get('x-auth-route-id'))
    expect(await ask(headers)).toBe('401 replayed_nonce')
  })

  it('is accepted on an api_key method too, and tampering with method or path fails', async () => {
    const authorization = await signOriginal({ clientId, secret, method: 'POST', path: '/orders/18' })
    expect(await ask(original('DELETE', host, '/orders/18', { Authorization: authorization }))).toBe(
      '401 invalid_credentials',
    )
    expect(await ask(original('POST', host, '/orders/19', { Authorization: authorization }))).toBe(
      '401 invalid_credentials',
    )
    expect(await ask(original('POST', host, '/orders/18', { Authorization: authorization }))).toBe('200 authenticated')
  })

  it('verifies the body a direct caller posts', async () => {
    const body = '{"reason":"duplicate","amount":12.5}'
    const authorization = await signOriginal({ clientId, secret, method: 'DELETE', path: '/orders/20', body })
    const headers = original('DELETE', host, '/orders/20', {
      Authorization: authorization,
      'Content-Type': 'application/json',
    })
    expect(await ask(headers, { method: 'POST', body: `${body} ` })).toBe('401 invalid_credentials')
    expect(await ask(headers, { method: 'POST', body })).toBe('200 authenticated')
  })

  it('verifies a body sent chunked (Transfer-Encoding, no Content-Length)', async () => {
    const body = '{"reason":"chunked"}'
    const authorization = await signOriginal({ clientId, secret, method: 'DELETE', path: '/orders/21', body })
    const headers = original('DELETE', host, '/orders/21', { Authorization: authorization })
    const chunked = (text: string) =>
      ({ method: 'POST', body: new Blob([text]).stream(), duplex: 'half' }) as RequestInit
    expect(await ask(headers, chunked(`${body} `))).toBe('401 invalid_credentials')
    expect(await ask(headers, chunked(body))).toBe('200 authenticated')
  })

  it('refuses a timestamp outside 300 s (after checking the signature)', async () => {
    const timestamp = Math.floor(Date.now() / 1000) - 301
    const authorization = await signOriginal({ clientId, secret, method: 'DELETE', path: '/orders/21', timestamp })
    expect(await ask(original('DELETE', host, '/orders/21', { Authorization: authorization }))).toBe(
      '401 stale_timestamp',
    )
  })

  it('a rotated secret is accepted within 1 s, the old one refused', async () => {
    const rotated = await world.admin.clients.rotate(ACTOR, clientId, { credential: 'shared_secret' })
    const fresh = rotated.shared_secret ?? ''
    expect(fresh).not.toBe(secret)
    // Within 1 s of the commit the running authz holds the new secret (and only it)...
    await eventually(async () => {
      const secrets = authz.server.manager.current()?.hmacSecrets(clientId) ?? []
      return secrets.length === 1 && secrets[0]?.secret === fresh
    }, 1000)
    // ...and a request signed with it by the original algorithm is accepted.
    const elapsed = await eventually(async () => {
      const authorization = await signOriginal({ clientId, secret: fresh, method: 'DELETE', path: '/orders/22' })
      return (
        (await ask(original('DELETE', host, '/orders/22', { Authorization: authorization }))) === '200 authenticated'
      )
    }, 1000)
    expect(elapsed).toBeLessThan(1000)
    const stale = await signOriginal({ clientId, secret, method: 'DELETE', path: '/orders/23' })
    expect(await ask(original('DELETE', host, '/orders/23', { Authorization: stale }))).toBe('401 invalid_credentials')
    secret = fresh
  })
})
