import { randomBytes, randomUUID } from 'node:crypto'
import { consoleAdminWireSchema } from '@gatekeeper/models'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { adminAuditLog, consoleAdmins } from '../../src/schema'
import { actor, expectApiError, KEY_ORDER, keysOf, useAdminTestContext } from '../admin-support'

const ctx = useAdminTestContext()

const strictAdmin = consoleAdminWireSchema.strict()

function email(): string {
  return `admin-${randomBytes(4).toString('hex')}@example.com`
}

async function auditActions(entityId: string): Promise<string[]> {
  return (await ctx.auditRows(entityId)).map((a) => a.action)
}

describe('console admins', () => {
  it('adds, lists and removes admins, auditing each', async () => {
    const address = email()
    const who = actor()
    const added = await ctx.ops.admins.add(who, { email: `  ${address.toUpperCase()} ` })
    expect(strictAdmin.parse(added)).toEqual(added)
    expect(keysOf(added)).toEqual(KEY_ORDER.consoleAdmin)
    expect(added).toMatchObject({ email: address, aegis_user_id: null, source: 'cli' })
    const viaApi = await ctx.ops.admins.add(
      { actor: 'root@example.com', actorType: 'console_admin' },
      { email: email(), aegis_user_id: 'u-1' },
    )
    expect(viaApi).toMatchObject({ source: 'api', aegis_user_id: 'u-1' })

    const list = await ctx.ops.admins.list()
    expect(list.map((a) => a.admin_id)).toEqual(expect.arrayContaining([added.admin_id, viaApi.admin_id]))
    for (const item of list) expect(keysOf(strictAdmin.parse(item))).toEqual(KEY_ORDER.consoleAdmin)

    expect((await ctx.auditRows(added.admin_id))[0]).toMatchObject({
      action: 'console_admin.add',
      actor: who.actor,
      after: added,
    })
    expect(await ctx.ops.admins.remove(who, added.admin_id)).toEqual(added)
    expect(await auditActions(added.admin_id)).toEqual(['console_admin.remove', 'console_admin.add'])
    await expectApiError(ctx.ops.admins.remove(who, added.admin_id), 404, 'not_found')
  })

  it('validates and refuses duplicates', async () => {
    await expectApiError(ctx.ops.admins.add(actor(), { email: 'not-an-email' }), 400, 'validation_error')
    await expectApiError(ctx.ops.admins.add(actor(), {}), 400, 'validation_error')
    const address = email()
    await ctx.ops.admins.add(actor(), { email: address })
    const err = await expectApiError(ctx.ops.admins.add(actor(), { email: address.toUpperCase() }), 409, 'conflict')
    expect(err.message).toBe('a console admin with this email already exists')
  })

  it('finds an admin by Aegis id, or binds a verified email on first sign-in', async () => {
    const address = email()
    const added = await ctx.ops.admins.add(actor(), { email: address })
    const uuid = randomUUID()
    // An unverified email never matches.
    expect(await ctx.ops.admins.findForAegisUser({ uuid, email: address, emailVerified: false })).toBeNull()
    const found = await ctx.ops.admins.findForAegisUser({ uuid, email: address.toUpperCase(), emailVerified: true })
    expect(found).toEqual({ ...added, aegis_user_id: uuid, binding: 'bound' })
    expect(await auditActions(added.admin_id)).toEqual(['console_admin.link', 'console_admin.add'])
    // Now by id, whatever email is presented.
    expect(await ctx.ops.admins.findForAegisUser({ uuid, email: null, emailVerified: false })).toEqual(found)
    // Another Aegis user with the same email does not take over a bound row.
    expect(
      await ctx.ops.admins.findForAegisUser({ uuid: randomUUID(), email: address, emailVerified: true }),
    ).toBeNull()
    expect(
      await ctx.ops.admins.findForAegisUser({ uuid: randomUUID(), email: email(), emailVerified: true }),
    ).toBeNull()
  })

  it('two first sign-ins of the same user at once both find the admin, bound once', async () => {
    const address = email()
    const added = await ctx.ops.admins.add(actor(), { email: address })
    const uuid = randomUUID()
    const found = await ctx.raceBehindLock(
      { text: 'SELECT id FROM console_admins WHERE id = $1 FOR UPDATE', values: [added.admin_id] },
      [1, 2, 3].map(() => () => ctx.ops.admins.findForAegisUser({ uuid, email: address, emailVerified: true })),
    )
    for (const result of found) {
      expect(result.status === 'fulfilled' && result.value).toEqual({ ...added, aegis_user_id: uuid, binding: 'bound' })
    }
    expect(await auditActions(added.admin_id)).toEqual(['console_admin.link', 'console_admin.add'])
  })

  it('provisions from the webhook idempotently: two deliveries, one row, one audit entry', async () => {
    const address = email()
    const event = { userId: 4242, email: address }
    const [first, second] = await Promise.all([
      ctx.ops.admins.provisionFromWebhook(event),
      ctx.ops.admins.provisionFromWebhook(event),
    ])
    expect([first.created, second.created].sort()).toEqual([false, true])
    expect([first.outcome, second.outcome].sort()).toEqual(['already_admin', 'provisioned'])
    const third = await ctx.ops.admins.provisionFromWebhook(event)
    expect(third).toMatchObject({ created: false, outcome: 'already_admin' })
    const rows = await ctx.handle.db.select().from(consoleAdmins).where(eq(consoleAdmins.email, address))
    expect(rows).toHaveLength(1)
    // The webhook id is not a sign-in binding: the row waits for its user's first verified sign-in.
    expect(rows[0]).toMatchObject({ aegisUserId: null, aegisWebhookUserId: '4242', source: 'webhook' })
    expect(third.admin).toMatchObject({ binding: 'pending', aegis_user_id: null, aegis_webhook_user_id: '4242' })
    const audits = await ctx.auditRows(rows[0]?.id ?? '')
    expect(audits).toHaveLength(1)
    expect(audits[0]).toMatchObject({ action: 'console_admin.provision', actor: 'aegis', actorType: 'webhook' })
    expect(await ctx.ops.admins.findForAegisUser({ uuid: '4242', email: null, emailVerified: false })).toBeNull()
    const uuid = randomUUID()
    expect(await ctx.ops.admins.findForAegisUser({ uuid, email: address, emailVerified: true })).toMatchObject({
      email: address,
      aegis_user_id: uuid,
      binding: 'bound',
    })

    await expectApiError(ctx.ops.admins.provisionFromWebhook({ userId: 1, email: null }), 400, 'validation_error')
  })

  it('a webhook never changes a binding: an email added without an Aegis id only learns the webhook id', async () => {
    const address = email()
    const added = await ctx.ops.admins.add(actor(), { email: address })
    const result = await ctx.ops.admins.provisionFromWebhook({ userId: 'aegis-77', email: address })
    expect(result).toEqual({
      created: false,
      outcome: 'already_admin',
      admin: { ...added, aegis_webhook_user_id: 'aegis-77' },
    })
    // Set once: another id is audited and ignored, whether or not the row is bound yet.
    const other = await ctx.ops.admins.provisionFromWebhook({ userId: 'aegis-78', email: address })
    expect(other).toEqual({ created: false, outcome: 'identity_mismatch', admin: result.admin })
    const uuid = randomUUID()
    await ctx.ops.admins.findForAegisUser({ uuid, email: address, emailVerified: true })
    const bound = await ctx.ops.admins.provisionFromWebhook({ userId: uuid.toUpperCase(), email: address })
    expect(bound).toMatchObject({ outcome: 'identity_mismatch', admin: { aegis_user_id: uuid } })
    expect(await auditActions(added.admin_id)).toEqual([
      'console_admin.webhook_mismatch',
      'console_admin.link',
      'console_admin.webhook_mismatch',
      'console_admin.webhook_user_id',
      'console_admin.add',
    ])
    // Ids Aegis should never send are not stored.
    const noId = await ctx.ops.admins.provisionFromWebhook({ userId: 'a\u0000b', email: email() })
    expect(noId.admin.aegis_webhook_user_id).toBeNull()
  })

  it('records a sign-in refused for another site, under the admin row the email names', async () => {
    const address = email()
    const added = await ctx.ops.admins.add(actor(), { email: address })
    await ctx.ops.admins.recordForeignSiteSignIn({ uuid: 'u\u0000x', email: address, siteUuid: 'site-b' })
    const [entry] = await ctx.auditRows(added.admin_id)
    expect(entry).toMatchObject({
      action: 'console_admin.refuse_foreign_site',
      actor: 'console-api',
      actorType: 'system',
      after: { aegis_user_id: 'u?x', email: address, site_uuid: 'site-b' },
    })
    const stranger = randomUUID()
    await ctx.ops.admins.recordForeignSiteSignIn({ uuid: stranger, email: 'nobody@example.com', siteUuid: 's' })
    expect(await ctx.auditRows(`aegis:${stranger}`)).toHaveLength(1)
  })

  it('deprovisions the admin of a deleted Aegis user', async () => {
    const address = email()
    const { admin } = await ctx.ops.admins.provisionFromWebhook({ userId: 'gone-1', email: address })
    expect(await ctx.ops.admins.deprovisionAegisUser({ userId: 'gone-1', email: address })).toEqual({ removed: true })
    expect(await ctx.ops.admins.deprovisionAegisUser({ userId: 'gone-1', email: address })).toEqual({ removed: false })
    expect(await auditActions(admin.admin_id)).toEqual(['console_admin.deprovision', 'console_admin.provision'])

    // By email only while the row is unbound; a row bound to another Aegis user stays.
    const unbound = await ctx.ops.admins.add(actor(), { email: email() })
    expect(await ctx.ops.admins.deprovisionAegisUser({ userId: null, email: unbound.email })).toEqual({
      removed: true,
    })
    const bound = await ctx.ops.admins.add(actor(), { email: email(), aegis_user_id: 'keeper' })
    expect(await ctx.ops.admins.deprovisionAegisUser({ userId: 'other', email: bound.email })).toEqual({
      removed: false,
    })
    // Nor by email once a webhook named the row's user by another id.
    const named = await ctx.ops.admins.provisionFromWebhook({ userId: 'named-1', email: email() })
    expect(await ctx.ops.admins.deprovisionAegisUser({ userId: 'named-2', email: named.admin.email })).toEqual({
      removed: false,
    })
    expect((await ctx.ops.admins.list()).map((a) => a.admin_id)).toContain(bound.admin_id)
    await expectApiError(ctx.ops.admins.deprovisionAegisUser({ userId: null, email: null }), 400)
    const deprovisions = await ctx.handle.db
      .select()
      .from(adminAuditLog)
      .where(eq(adminAuditLog.action, 'console_admin.deprovision'))
    expect(deprovisions).toHaveLength(2)
    expect((await ctx.ops.admins.list()).map((a) => a.admin_id)).toContain(named.admin.admin_id)
  })
})
