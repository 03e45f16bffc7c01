import { clientDetailWireSchema } from '@gatekeeper/models'
import { describe, expect, it } from 'vitest'
import { actor, clientName, expectApiError, KEY_ORDER, keysOf, useAdminTestContext } from '../admin-support'

const ctx = useAdminTestContext()

const AT = 1_900_000_000 // 2030-03-17, epoch seconds

describe('client and credential expiry', () => {
  it('a client without expiries shows three nulls after the documented keys', async () => {
    const created = await ctx.newClient()
    const read = await ctx.ops.clients.get(created.client_id)
    expect(keysOf(read)).toEqual([...KEY_ORDER.client, 'credentials'])
    expect(read).toMatchObject({ expires_at: null, api_key_expires_at: null, shared_secret_expires_at: null })
  })

  it('create sets the client expiry and the generated credentials expiry', async () => {
    const created = await ctx.ops.clients.create(actor(), {
      client_name: clientName(),
      api_key: true,
      shared_secret: true,
      expires_at: AT,
      credentials_expire_at: AT - 60,
    })
    expect(created).toMatchObject({ expires_at: AT, api_key_expires_at: AT - 60, shared_secret_expires_at: AT - 60 })
    expect((await ctx.currentCredentialRow(created.client_id, 'api_key'))?.validUntil?.getTime()).toBe((AT - 60) * 1000)
    // The rotation column stays null: the credential is still the current one.
    expect((await ctx.currentCredentialRow(created.client_id, 'shared_secret'))?.validUntil?.getTime()).toBe(
      (AT - 60) * 1000,
    )
    const read = await ctx.ops.clients.get(created.client_id)
    expect(clientDetailWireSchema.strict().parse(read)).toEqual(read)
    expect(read).toMatchObject({ expires_at: AT, api_key_expires_at: AT - 60, shared_secret_expires_at: AT - 60 })
  })

  it('update sets and clears each expiry, audited, with a version bump', async () => {
    const who = actor()
    const created = await ctx.ops.clients.create(who, { client_name: clientName(), api_key: true })
    const set = await ctx.ops.clients.update(who, created.client_id, { expires_at: AT, api_key_expires_at: AT + 1 })
    expect(set).toMatchObject({ expires_at: AT, api_key_expires_at: AT + 1, version: 2 })
    const [audit] = await ctx.auditRows(created.client_id)
    expect(audit).toMatchObject({ action: 'client.update', after: set })
    const cleared = await ctx.ops.clients.update(who, created.client_id, { expires_at: null, api_key_expires_at: null })
    expect(cleared).toMatchObject({ expires_at: null, api_key_expires_at: null, version: 3 })
    expect((await ctx.currentCredentialRow(created.client_id, 'api_key'))?.validUntil).toBeNull()
  })

  it('setting the expiry of a credential kind the client lacks is a 404 and changes nothing', async () => {
    const created = await ctx.newClient()
    await expectApiError(
      ctx.ops.clients.update(actor(), created.client_id, { expires_at: AT, shared_secret_expires_at: AT }),
      404,
    )
    expect(await ctx.ops.clients.get(created.client_id)).toMatchObject({ expires_at: null, version: 1 })
  })

  it.each([
    [{ expires_at: -1 }],
    [{ expires_at: 1.5 }],
    [{ expires_at: '2030-01-01' }],
    [{ api_key_expires_at: 1e20 }],
  ])('refuses %j with a 400', async (body) => {
    const created = await ctx.newClient()
    await expectApiError(ctx.ops.clients.update(actor(), created.client_id, body), 400)
  })

  it('rotate gives the new credential its own expiry; the retired one keeps its grace', async () => {
    const created = await ctx.newClient()
    const rotated = await ctx.ops.clients.rotate(actor(), created.client_id, {
      credential: 'api_key',
      grace_seconds: 60,
      expires_at: AT,
    })
    expect(rotated.client.api_key_expires_at).toBe(AT)
    const plain = await ctx.ops.clients.rotate(actor(), created.client_id, { credential: 'api_key' })
    expect(plain.client.api_key_expires_at).toBeNull()
  })
})
