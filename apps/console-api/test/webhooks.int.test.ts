import { randomUUID } from 'node:crypto'
import { signAegisWebhook } from '@gatekeeper/crypto'
import type { AuditEntryWire } from '@gatekeeper/models'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConsoleApp } from '../src/app'
import { ADMIN_EMAIL_ALLOWED, callApp, createHarness, type Harness, json, WEBHOOK_SECRET } from './harness'

let h: Harness
beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

type Delivery = {
  secret?: string
  timestamp?: number
  /** Sent instead of the signed body (tampering). */
  sentBody?: string
  omit?: Array<'signature' | 'timestamp'>
  app?: ConsoleApp
}

function eventBody(event: Record<string, unknown>): string {
  return JSON.stringify({
    event_type: 'user.verified',
    site_id: h.aegis.siteId,
    aegis_role: 'user',
    timestamp: 1,
    ...event,
  })
}

let deliveries = 0

/** As Aegis delivers: each delivery (a retry too) signed afresh, with its own timestamp unless one is given. */
function deliver(body: string, opts: Delivery = {}): Promise<Response> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000) - 100 + (deliveries++ % 100)
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-aegis-event': 'user.verified' }
  if (!opts.omit?.includes('signature')) {
    headers['x-aegis-signature'] = signAegisWebhook({ secret: opts.secret ?? WEBHOOK_SECRET, timestamp, rawBody: body })
  }
  if (!opts.omit?.includes('timestamp')) headers['x-aegis-timestamp'] = String(timestamp)
  return callApp(opts.app ?? h.app, 'POST', '/api/webhooks/aegis', { body: opts.sentBody ?? body, headers })
}

async function adminsWithEmail(email: string) {
  return (await h.ops.admins.list()).filter((a) => a.email === email.toLowerCase())
}

async function provisionAudits(email: string) {
  const audit = await h.ops.audit.list({ action: 'console_admin.provision', limit: 500 })
  return audit.filter((a: AuditEntryWire) => JSON.stringify(a.after).includes(email.toLowerCase()))
}

/** A fresh allowlisted address: each test gets its own. */
function allowlisted() {
  return h.withEnv({ AEGIS_ADMIN_EMAILS: `${ADMIN_EMAIL_ALLOWED}, ${`wh-${randomUUID().slice(0, 8)}@example.com`}` })
}

describe('Aegis webhook', () => {
  it('provisions an allowlisted, verified user once even when delivered twice', async () => {
    const userId = randomUUID()
    const body = eventBody({ user_id: userId, email: `  ${ADMIN_EMAIL_ALLOWED.toUpperCase()} ` })
    const first = await deliver(body)
    expect(first.status).toBe(200)
    expect(await first.json()).toEqual({ status: 'ok', outcome: 'provisioned' })
    const again = await deliver(body, { timestamp: Math.floor(Date.now() / 1000) + 5 })
    expect(again.status).toBe(200)
    expect(await again.json()).toEqual({ status: 'ok', outcome: 'already_admin' })

    const admins = await adminsWithEmail(ADMIN_EMAIL_ALLOWED)
    expect(admins).toHaveLength(1)
    // The webhook's user_id is kept apart; the admin is bound at their first sign-in.
    expect(admins[0]).toMatchObject({
      aegis_user_id: null,
      aegis_webhook_user_id: userId,
      binding: 'pending',
      source: 'webhook',
    })
    expect(await provisionAudits(ADMIN_EMAIL_ALLOWED)).toHaveLength(1)

    // That user can now use the admin API with an Aegis token.
    const { token } = h.aegis.addUser({ uuid: userId, email: ADMIN_EMAIL_ALLOWED })
    expect((await h.call('GET', '/api/admin/routes', { token })).status).toBe(200)
    expect(await adminsWithEmail(ADMIN_EMAIL_ALLOWED)).toMatchObject([{ aegis_user_id: userId, binding: 'bound' }])
  })

  it('checks the signature over the exact bytes received', async () => {
    const email = `bytes-${randomUUID().slice(0, 8)}@example.com`
    const app = h.withEnv({ AEGIS_ADMIN_EMAILS: email })
    const body = `{ "event_type" : "user.verified",\n "site_id": "${h.aegis.siteId}", "user_id": "${randomUUID()}", "email": "${email}", "note": "\\u00e9" }`
    expect((await deliver(body, { app })).status).toBe(200)
    expect(await adminsWithEmail(email)).toHaveLength(1)
  })

  const refusals: Array<[string, (body: string, app: ConsoleApp) => Promise<Response>, number]> = [
    ['a wrong secret', (body, app) => deliver(body, { app, secret: 'whsec_wrong' }), 401],
    [
      'an altered body',
      (body, app) => deliver(body, { app, sentBody: body.replace('user.verified', 'user.verified ') }),
      401,
    ],
    // 30 s past the 300 s window either way: at +301 a second boundary crossed before the check (a loaded machine)
    // brought the timestamp back inside the window and the test failed once.
    ['a stale timestamp', (body, app) => deliver(body, { app, timestamp: Math.floor(Date.now() / 1000) - 330 }), 401],
    [
      'a timestamp from the future',
      (body, app) => deliver(body, { app, timestamp: Math.floor(Date.now() / 1000) + 330 }),
      401,
    ],
    ['no signature header', (body, app) => deliver(body, { app, omit: ['signature'] }), 401],
    ['no timestamp header', (body, app) => deliver(body, { app, omit: ['timestamp'] }), 401],
    ['no headers at all', (body, app) => deliver(body, { app, omit: ['signature', 'timestamp'] }), 401],
  ]

  it.each(refusals)('provisions nobody for %s (401)', async (_name, send, status) => {
    const email = `refused-${randomUUID().slice(0, 8)}@example.com`
    const app = h.withEnv({ AEGIS_ADMIN_EMAILS: email })
    const res = await send(eventBody({ user_id: randomUUID(), email }), app)
    expect(res.status).toBe(status)
    expect(await json(res)).toMatchObject({ code: 401, error: 'unauthorized' })
    expect(await adminsWithEmail(email)).toEqual([])
  })

  it('provisions nobody whose email is not on the allowlist (acknowledged)', async () => {
    const email = `stranger-${randomUUID().slice(0, 8)}@example.com`
    const res = await deliver(eventBody({ user_id: randomUUID(), email }), { app: allowlisted() })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok', outcome: 'not_allowlisted' })
    expect(await adminsWithEmail(email)).toEqual([])
  })

  it('provisions nobody when the allowlist is empty or unset', async () => {
    const email = `anyone-${randomUUID().slice(0, 8)}@example.com`
    for (const list of ['', ' , ', undefined]) {
      const app = h.withEnv({ AEGIS_ADMIN_EMAILS: list })
      const res = await deliver(eventBody({ user_id: randomUUID(), email }), { app })
      expect(res.status).toBe(200)
    }
    expect(await adminsWithEmail(email)).toEqual([])
  })

  it('refuses every webhook while AEGIS_WEBHOOK_SECRET is unset (503)', async () => {
    const email = `nosecret-${randomUUID().slice(0, 8)}@example.com`
    const app = h.withEnv({ AEGIS_WEBHOOK_SECRET: undefined, AEGIS_ADMIN_EMAILS: email })
    const res = await deliver(eventBody({ user_id: randomUUID(), email }), { app })
    expect(res.status).toBe(503)
    expect(await adminsWithEmail(email)).toEqual([])
  })

  it('deprovisions an admin when Aegis reports the user deleted, at once even for a cached sign-in', async () => {
    const email = `gone-${randomUUID().slice(0, 8)}@example.com`
    const app = h.withEnv({ AEGIS_ADMIN_EMAILS: email })
    const { user, token } = h.aegis.addUser({ email })
    await deliver(eventBody({ user_id: user.uuid, email }), { app })
    expect((await h.call('GET', '/api/admin/routes', { token })).status).toBe(200)

    const deleted = await deliver(eventBody({ event_type: 'user.deleted', user_id: user.uuid, email }))
    expect(deleted.status).toBe(200)
    expect(await deleted.json()).toEqual({ status: 'ok', outcome: 'deprovisioned' })
    expect(await adminsWithEmail(email)).toEqual([])
    expect((await h.call('GET', '/api/admin/routes', { token })).status).toBe(403)

    const again = await deliver(eventBody({ event_type: 'user.deleted', user_id: user.uuid, email }))
    expect(await again.json()).toEqual({ status: 'ok', outcome: 'not_admin' })
  })

  it('acts on a delivery once: the same signed request replayed is acknowledged and changes nothing', async () => {
    const email = `replayed-${randomUUID().slice(0, 8)}@example.com`
    const { user } = h.aegis.addUser({ email })
    await h.ops.admins.add({ actor: 't', actorType: 'system' }, { email, aegis_user_id: user.uuid })
    await h.newAdmin() // not the last admin, so the deletion goes through
    const body = eventBody({ event_type: 'user.deleted', user_id: user.uuid, email })
    const timestamp = Math.floor(Date.now() / 1000)
    const headers = {
      'content-type': 'application/json',
      'x-aegis-event': 'user.deleted',
      'x-aegis-signature': signAegisWebhook({ secret: WEBHOOK_SECRET, timestamp, rawBody: body }),
      'x-aegis-timestamp': String(timestamp),
    }
    const send = () => callApp(h.app, 'POST', '/api/webhooks/aegis', { body, headers })
    expect(await (await send()).json()).toEqual({ status: 'ok', outcome: 'deprovisioned' })

    // The admin is added back; the captured deletion, replayed within the 300 s tolerance, must not remove them.
    await h.ops.admins.add({ actor: 't', actorType: 'system' }, { email, aegis_user_id: user.uuid })
    const replayed = await send()
    expect(replayed.status).toBe(200)
    expect(await replayed.json()).toEqual({ status: 'ok', outcome: 'replayed' })
    // Upper-case hex is the same signature.
    const shouted = await callApp(h.app, 'POST', '/api/webhooks/aegis', {
      body,
      headers: {
        ...headers,
        'x-aegis-signature': headers['x-aegis-signature'].toUpperCase().replace('SHA256=', 'sha256='),
      },
    })
    expect(await shouted.json()).toEqual({ status: 'ok', outcome: 'replayed' })
    expect(await adminsWithEmail(email)).toHaveLength(1)
  })

  it('acknowledges events it does not act on, and refuses a signed body that is not an event', async () => {
    const other = await deliver(
      eventBody({ event_type: 'user.login', user_id: randomUUID(), email: ADMIN_EMAIL_ALLOWED }),
    )
    expect(other.status).toBe(200)
    expect(await other.json()).toEqual({ status: 'ok', outcome: 'ignored' })
    expect((await deliver('not json')).status).toBe(400)
    expect((await deliver('{"user_id": 1}')).status).toBe(400)
  })

  it('counts outcomes in metrics from a closed set', async () => {
    const body = eventBody({ user_id: randomUUID(), email: 'metrics@example.com' })
    await deliver(body, { secret: 'whsec_wrong' })
    await deliver(body, { timestamp: 1 })
    const text = await (await h.call('GET', '/metrics')).text()
    expect(text).toMatch(/console_webhook_events_total\{outcome="provisioned"\} [1-9]/)
    expect(text).toMatch(/console_webhook_events_total\{outcome="rejected_signature"\} [1-9]/)
    expect(text).toMatch(/console_webhook_events_total\{outcome="rejected_stale"\} [1-9]/)
  })
})
