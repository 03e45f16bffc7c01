// A rotation with an overlap, through the admin operations (real Postgres) and a running authz: during the overlap
// the previous API key and the previous shared secret (HMAC v1 and v2) work next to the new ones; at the overlap's
// end they stop, with no change in the database and no reload (the version poll is a minute here). A second
// rotation inside the overlap keeps the first one's end, and a rotation without overlap stops everything before it.

import { signRequestV1, signRequestV2 } from '@gatekeeper/crypto'
import { describe, expect, it } from 'vitest'
import { ACTOR, API_KEY, bearer, eventually, HMAC, original, routeWithClient, useAuthz } from './harness'

const { world, authz } = useAuthz({ CONFIG_POLL_INTERVAL_MS: '60000' })
const decision = (headers: Record<string, string>) => authz.decision(headers)
const PATH = '/v1/orders'

describe('rotation overlap in a running authz', () => {
  it('the previous key and secret (v1 and v2) work until the overlap ends, then stop without a reload', async () => {
    const { host, client } = await routeWithClient(
      world.admin,
      { route_pattern: '/v1/*', service_name: 'svc', methods: { GET: API_KEY, DELETE: HMAC } },
      { client_name: 'rotating', api_key: true, shared_secret: true },
    )
    const id = client.client_id
    const asKey = (key: string | null | undefined) => original('GET', host, PATH, bearer({ api_key: key }))
    const signedV1 = (secret: string) =>
      original('DELETE', host, PATH, {
        Authorization: signRequestV1({ clientId: id, secret, method: 'DELETE', path: PATH }).authorization,
      })
    const signedV2 = (secret: string) =>
      original(
        'DELETE',
        host,
        PATH,
        signRequestV2({ clientId: id, secret, method: 'DELETE', host, path: PATH }).headers,
      )
    const oldSecret = client.shared_secret ?? ''
    await eventually(async () => (await decision(asKey(client.api_key))) === '200 authenticated')

    // An overlap of whole seconds at least 2 s away, so the old credentials are seen working first.
    const grace = 3
    const keyRotation = await world.admin.clients.rotate(ACTOR, id, { credential: 'api_key', grace_seconds: grace })
    const secretRotation = await world.admin.clients.rotate(ACTOR, id, {
      credential: 'shared_secret',
      grace_seconds: grace,
    })
    // Rotated again inside the overlap: the first key keeps its own end, the second gets a later one.
    const again = await world.admin.clients.rotate(ACTOR, id, { credential: 'api_key', grace_seconds: 60 })
    const newSecret = secretRotation.shared_secret ?? ''
    await eventually(async () => (await decision(asKey(again.api_key))) === '200 authenticated')
    // Both overlaps end on a whole second: the two rotations may fall on either side of one.
    const endMs = Math.max(keyRotation.previous_expires_at ?? 0, secretRotation.previous_expires_at ?? 0) * 1000
    expect(Date.now()).toBeLessThan(endMs - 1000)

    const all = async () => ({
      oldKey: await decision(asKey(client.api_key)),
      middleKey: await decision(asKey(keyRotation.api_key)),
      newKey: await decision(asKey(again.api_key)),
      oldV1: await decision(signedV1(oldSecret)),
      oldV2: await decision(signedV2(oldSecret)),
      newV1: await decision(signedV1(newSecret)),
      newV2: await decision(signedV2(newSecret)),
    })
    const ok = '200 authenticated'
    const gone = '401 invalid_credentials'
    /** What every credential gets, the previous ones (first key, first secret) answering `previous`. */
    const expected = (previous: string) => ({
      oldKey: previous,
      middleKey: ok,
      newKey: ok,
      oldV1: previous,
      oldV2: previous,
      newV1: ok,
      newV2: ok,
    })
    expect(await all()).toEqual(expected(ok))
    const versionBefore = authz.server.manager.health().version
    const stateBefore = authz.server.manager.current()

    await new Promise((r) => setTimeout(r, endMs - Date.now() + 50))
    expect(await all()).toEqual(expected(gone))
    expect(authz.server.manager.current()).toBe(stateBefore)
    expect(authz.server.manager.health().version).toBe(versionBefore)

    // Without overlap, every key before the new one stops, the one still inside its overlap too.
    const leaked = await world.admin.clients.rotate(ACTOR, id, { credential: 'api_key', grace_seconds: 0 })
    await eventually(async () => (await decision(asKey(again.api_key))) === gone)
    expect(await decision(asKey(keyRotation.api_key))).toBe(gone)
    expect(await decision(asKey(leaked.api_key))).toBe(ok)
  })
})
