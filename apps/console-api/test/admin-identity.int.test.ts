import { randomUUID } from 'node:crypto'
import type { AuditEntryWire, ConsoleAdminWire, ErrorEnvelope } from '@gatekeeper/models'
import { webhookHeaders } from '@gatekeeper/testkit/aegis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConsoleApp } from '../src/app'
import { callApp, createHarness, type Harness, json, must, SYSTEM_ACTOR, WEBHOOK_SECRET } from './harness'

// Who a console admin is: a user of OUR Aegis site, bound to their /me uuid at their first verified
// sign-in, never re-bound by a webhook. The fake Aegis hosts a second site and names users in webhooks
// by a numeric id, as Aegis does.

let h: Harness
/** Allowlists every address these tests provision by webhook. */
let app: ConsoleApp
const allowlist: string[] = []

function freshEmail(tag: string): string {
  const email = `${tag}-${randomUUID().slice(0, 8)}@example.com`
  allowlist.push(email)
  return email
}

beforeAll(async () => {
  h = await createHarness()
  // The allowlist is read from the environment when the app is built: list the addresses ahead of time.
  for (let i = 0; i < 40; i++) freshEmail('id')
  app = h.withEnv({ AEGIS_ADMIN_EMAILS: allowlist.join(',') })
})
afterAll(() => h.close())

let emailIndex = 0
const nextEmail = () => must(allowlist[emailIndex++], 'an allowlisted address')

let deliveries = 0

/** As Aegis delivers: each delivery (a retry too) signed afresh, with its own timestamp. */
function deliver(body: string, target: ConsoleApp = app): Promise<Response> {
  const timestamp = Math.floor(Date.now() / 1000) - 100 + (deliveries++ % 100)
  return callApp(target, 'POST', '/api/webhooks/aegis', {
    body,
    headers: webhookHeaders(WEBHOOK_SECRET, body, { timestamp }),
  })
}

async function outcome(res: Response): Promise<string> {
  expect(res.status).toBe(200)
  return (await json<{ outcome: string }>(res)).outcome
}

async function adminWith(email: string): Promise<ConsoleAdminWire | undefined> {
  return (await h.ops.admins.list()).find((a) => a.email === email)
}

async function auditOf(adminId: string): Promise<AuditEntryWire[]> {
  return h.ops.audit.list({ entity_id: adminId, limit: 500 })
}

const routes = (token: string, target: ConsoleApp = app) => callApp(target, 'GET', '/api/admin/routes', { token })

describe('webhook-provisioned admins', () => {
  it('sign in although the webhook user_id is not the /me uuid, and are bound to that uuid', async () => {
    const email = nextEmail()
    const { user, token } = h.aegis.addUser({ email })
    expect(await outcome(await deliver(h.aegis.webhookBody('user.verified', user)))).toBe('provisioned')
    expect(await adminWith(email)).toMatchObject({
      binding: 'pending',
      aegis_user_id: null,
      aegis_webhook_user_id: String(user.id),
    })

    expect((await routes(token)).status).toBe(200)
    const bound = must(await adminWith(email))
    expect(bound).toMatchObject({ binding: 'bound', aegis_user_id: user.uuid, aegis_webhook_user_id: String(user.id) })
    expect((await auditOf(bound.admin_id)).map((a) => a.action)).toEqual([
      'console_admin.link',
      'console_admin.provision',
    ])
  })

  it('a redelivered event changes nothing: no row, no binding, no audit entry', async () => {
    const email = nextEmail()
    const { user, token } = h.aegis.addUser({ email })
    const body = h.aegis.webhookBody('user.verified', user)
    await deliver(body)
    expect((await routes(token)).status).toBe(200)
    const before = must(await adminWith(email))
    const auditBefore = await auditOf(before.admin_id)

    // Aegis redelivers for hours, re-signed each time.
    for (let i = 0; i < 3; i++) expect(await outcome(await deliver(body))).toBe('already_admin')
    expect(await adminWith(email)).toEqual(before)
    expect(await auditOf(before.admin_id)).toEqual(auditBefore)
  })

  it('a webhook naming another user id for a bound admin is audited and ignored; the admin keeps access', async () => {
    const email = nextEmail()
    const { user, token } = h.aegis.addUser({ email })
    await deliver(h.aegis.webhookBody('user.verified', user))
    expect((await routes(token)).status).toBe(200)
    const before = must(await adminWith(email))

    const impostor = { ...user, id: user.id + 100_000, uuid: randomUUID() }
    expect(await outcome(await deliver(h.aegis.webhookBody('user.verified', impostor)))).toBe('identity_mismatch')
    expect(await adminWith(email)).toEqual(before)
    const [latest] = await auditOf(before.admin_id)
    expect(latest).toMatchObject({ action: 'console_admin.webhook_mismatch', actor: 'aegis', actor_type: 'webhook' })
    expect(latest?.after).toMatchObject({ ignored_webhook_user_id: String(impostor.id), aegis_user_id: user.uuid })
    // The same mismatching event again: audited again (it is news each time), still nothing changes.
    await deliver(h.aegis.webhookBody('user.verified', impostor))
    expect(await adminWith(email)).toEqual(before)

    // Past the auth cache, the real admin still signs in with a new token.
    h.clock.offsetMs += 120_000
    try {
      expect((await routes(h.aegis.issueToken(user.uuid))).status).toBe(200)
    } finally {
      h.clock.offsetMs -= 120_000
    }
  })

  it('a CLI-added admin learns the webhook user id once, and keeps its binding', async () => {
    const email = nextEmail()
    const { user, token } = h.aegis.addUser({ email })
    const added = await h.ops.admins.add(SYSTEM_ACTOR, { email })
    expect((await routes(token)).status).toBe(200)
    await deliver(h.aegis.webhookBody('user.verified', user))
    expect(await adminWith(email)).toMatchObject({
      admin_id: added.admin_id,
      aegis_user_id: user.uuid,
      aegis_webhook_user_id: String(user.id),
    })
  })

  it('user.deleted with the numeric id deprovisions the bound admin', async () => {
    const email = nextEmail()
    const { user, token } = h.aegis.addUser({ email })
    await deliver(h.aegis.webhookBody('user.verified', user))
    expect((await routes(token)).status).toBe(200)
    const deleted = h.aegis.webhookBody('user.deleted', user, { email: null })
    expect(await outcome(await deliver(deleted))).toBe('deprovisioned')
    expect(await adminWith(email)).toBeUndefined()
    expect((await routes(token)).status).toBe(403)
    expect(await outcome(await deliver(deleted))).toBe('not_admin')
  })
})

describe('users of another Aegis site', () => {
  async function expectForeignRefusal(res: Response) {
    expect(res.status).toBe(403)
    const body = await json<ErrorEnvelope>(res)
    expect(body).toMatchObject({ code: 403, error: 'forbidden' })
    expect(body.message).toMatch(/another Aegis site/)
  }

  it('are refused (403, reason in the body) even with the email of a pending webhook-provisioned admin', async () => {
    const email = nextEmail()
    const ours = h.aegis.addUser({ email, is_verified: false })
    await deliver(h.aegis.webhookBody('user.verified', { ...ours.user, is_verified: true }))
    const foreign = h.aegis.addUser({ email, site_uuid: h.aegis.otherSiteId })
    await expectForeignRefusal(await routes(foreign.token))
    // Refused every time, and the row is still waiting for our own user.
    await expectForeignRefusal(await routes(foreign.token))
    const row = must(await adminWith(email))
    expect(row).toMatchObject({ binding: 'pending', aegis_user_id: null })

    // Audited once (not once per request), under the admin row the email would have claimed.
    const refusals = (await auditOf(row.admin_id)).filter((a) => a.action === 'console_admin.refuse_foreign_site')
    expect(refusals).toHaveLength(1)
    expect(refusals[0]).toMatchObject({ actor: 'console-api', actor_type: 'system' })
    expect(refusals[0]?.after).toMatchObject({
      aegis_user_id: foreign.user.uuid,
      email,
      site_uuid: h.aegis.otherSiteId,
    })
    const metrics = await (await callApp(app, 'GET', '/metrics')).text()
    expect(metrics).toMatch(/console_admin_auth_refusals_total\{reason="foreign_site"\} [2-9]/)
  })

  it('are refused with the email of a pending CLI-added admin and of a bound admin', async () => {
    const pendingEmail = `pending-${randomUUID().slice(0, 8)}@example.com`
    await h.ops.admins.add(SYSTEM_ACTOR, { email: pendingEmail })
    await expectForeignRefusal(
      await routes(h.aegis.addUser({ email: pendingEmail, site_uuid: h.aegis.otherSiteId }).token),
    )
    expect(await adminWith(pendingEmail)).toMatchObject({ binding: 'pending' })

    const admin = await h.newAdmin()
    const twin = h.aegis.addUser({ email: admin.email, site_uuid: h.aegis.otherSiteId })
    await expectForeignRefusal(await routes(twin.token))
    expect((await routes(admin.token)).status).toBe(200)
  })

  it('an unverified user of our own site does not bind a pending admin', async () => {
    const email = `unverified-${randomUUID().slice(0, 8)}@example.com`
    await h.ops.admins.add(SYSTEM_ACTOR, { email })
    const res = await routes(h.aegis.addUser({ email, is_verified: false }).token)
    expect(res.status).toBe(403)
    expect((await json<ErrorEnvelope>(res)).message).toBe('this user is not a console admin')
    expect(await adminWith(email)).toMatchObject({ binding: 'pending' })
  })

  it('webhooks about another site (or naming none) are acknowledged and change nothing', async () => {
    const email = nextEmail()
    const { user } = h.aegis.addUser({ email, site_uuid: h.aegis.otherSiteId })
    expect(await outcome(await deliver(h.aegis.webhookBody('user.verified', user)))).toBe('foreign_site')
    expect(await outcome(await deliver(h.aegis.webhookBody('user.verified', user, { site_id: null })))).toBe(
      'foreign_site',
    )
    expect(await adminWith(email)).toBeUndefined()

    // Nor can another site's deletion event remove one of our admins.
    const admin = await h.newAdmin()
    const ours = must(await adminWith(admin.email))
    const deletion = JSON.stringify({
      event_type: 'user.deleted',
      site_id: h.aegis.otherSiteId,
      user_id: admin.uuid,
      email: admin.email,
    })
    expect(await outcome(await deliver(deletion))).toBe('foreign_site')
    expect(await adminWith(admin.email)).toEqual(ours)
  })
})

describe("emails that only fold onto an admin's address", () => {
  // U+212A KELVIN SIGN lower-cases to an ASCII "k"; a no-break space is trimmed away by String.prototype.trim.
  const lookalikes = (email: string) => [`\u212A${email.slice(1)}`, `${email}\u00a0`, `${email.toUpperCase()}\u00a0`]

  it('never bind a pending admin, nor match a bound one', async () => {
    const pending = `kate-${randomUUID().slice(0, 8)}@example.com`
    await h.ops.admins.add(SYSTEM_ACTOR, { email: pending })
    for (const email of lookalikes(pending)) {
      const { user, token } = h.aegis.addUser()
      user.email = email // as Aegis would report an address it treats as another user's
      const res = await routes(token)
      expect(res.status).toBe(403)
      expect((await json<ErrorEnvelope>(res)).message).toBe('this user is not a console admin')
    }
    expect(await adminWith(pending)).toMatchObject({ binding: 'pending', aegis_user_id: null })
    // The address itself, in another case, still binds: ASCII case is not identity.
    const real = h.aegis.addUser({ email: pending })
    real.user.email = pending.toUpperCase()
    expect((await routes(real.token)).status).toBe(200)
    expect(await adminWith(pending)).toMatchObject({ binding: 'bound', aegis_user_id: real.user.uuid })
  })

  it('are not on AEGIS_ADMIN_EMAILS for a user.verified webhook', async () => {
    const email = nextEmail()
    for (const lookalike of lookalikes(email)) {
      const { user } = h.aegis.addUser()
      user.email = lookalike
      expect(await outcome(await deliver(h.aegis.webhookBody('user.verified', user)))).toBe('not_allowlisted')
    }
    expect(await adminWith(email)).toBeUndefined()
  })
})

describe('the site setting', () => {
  it('without AEGIS_SITE_ID or AEGIS_SITE_UUID the admin API answers 503 not_configured', async () => {
    const admin = await h.newAdmin()
    const unconfigured = h.withEnv({ AEGIS_SITE_ID: undefined, AEGIS_SITE_UUID: undefined })
    const res = await routes(admin.token, unconfigured)
    expect(res.status).toBe(503)
    expect(await json<ErrorEnvelope>(res)).toMatchObject({ error: 'not_configured' })
    expect((await json<ErrorEnvelope>(await routes(admin.token, unconfigured))).message).toMatch(/AEGIS_SITE_UUID/)
  })

  it('AEGIS_SITE_UUID, when set, is the site /me must report (AEGIS_SITE_ID stays the proxied site id)', async () => {
    const admin = await h.newAdmin()
    const otherUuid = h.withEnv({ AEGIS_SITE_UUID: h.aegis.otherSiteId })
    expect((await routes(admin.token, otherUuid)).status).toBe(403)
    const sameUuid = h.withEnv({ AEGIS_SITE_UUID: h.aegis.siteId.toUpperCase() })
    expect((await routes(admin.token, sameUuid)).status).toBe(200)
  })
})
