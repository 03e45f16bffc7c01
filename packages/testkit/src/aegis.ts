import { randomBytes, randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { signAegisWebhook } from '@gatekeeper/crypto'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

/**
 * The one fake Aegis: exactly the calls console-api makes (docs/admin-api.md, "Aegis"), on a random loopback
 * port, and the webhooks Aegis sends (`webhookBody()` and `webhookHeaders()`). `startFakeAegis()`, then
 * `addUser()` for tokens; `setMode('error' | 'hang')` for an outage.
 * It hosts two sites: `siteId` (the one console-api is configured for) and `otherSiteId`; users are per
 * site (the same email may exist in both). Webhooks name a user by a numeric id (`id`), as Aegis's do,
 * which is not the `/me` uuid: `webhookBody()` builds such an event.
 */

export type FakeAegisUser = {
  /** Aegis's internal numeric id: what its webhooks send as `user_id` (never in /me). */
  id: number
  uuid: string
  site_uuid: string
  email: string
  is_verified: boolean
  role: 'user' | 'admin'
  created_at: number
  updated_at: number
  deletion_protected: boolean
  password: string
}

export type RecordedCall = { method: string; path: string; headers: Record<string, string>; body: unknown }

/** `up` answers per the contract; `error` answers 500 to everything; `hang` never answers. */
export type FakeAegisMode = 'up' | 'error' | 'hang'

export type FakeAegis = {
  url: string
  tenantApiKey: string
  siteId: string
  /** A second site on the same Aegis (same tenant key): its users must never be console admins. */
  otherSiteId: string
  calls: RecordedCall[]
  /** Creates a user and a valid token for it. */
  addUser(overrides?: Partial<FakeAegisUser>): { user: FakeAegisUser; token: string }
  /** A new token for an existing user. */
  issueToken(uuid: string): string
  revokeToken(token: string): void
  /** Makes a token resolve from now on (e.g. after a 401). */
  setToken(token: string, uuid: string): void
  callsTo(path: string): RecordedCall[]
  /** A webhook body as Aegis sends it about `user` (compact JSON; `user_id` is the numeric id). */
  webhookBody(eventType: string, user: FakeAegisUser, overrides?: Record<string, unknown>): string
  /** The token Aegis would have emailed (verification after register, or a password reset). */
  emailedToken(kind: 'verification' | 'reset', uuid: string): string | undefined
  setMode(mode: FakeAegisMode): void
  stop(): Promise<void>
}

const now = () => Math.floor(Date.now() / 1000)

/** The variables that point console-api at `aegis` (its tenant key and its main site). */
export function consoleAegisEnv(aegis: Pick<FakeAegis, 'url' | 'tenantApiKey' | 'siteId'>): Record<string, string> {
  return { AEGIS_API_URL: aegis.url, AEGIS_TENANT_API_KEY: aegis.tenantApiKey, AEGIS_SITE_ID: aegis.siteId }
}

export async function startFakeAegis(opts: { tenantApiKey?: string; siteId?: string } = {}): Promise<FakeAegis> {
  const tenantApiKey = opts.tenantApiKey ?? `tenant_${randomBytes(12).toString('hex')}`
  const siteId = opts.siteId ?? randomUUID()
  const otherSiteId = randomUUID()
  const sites = new Set([siteId, otherSiteId])
  let nextId = 1000
  const users = new Map<string, FakeAegisUser>()
  const tokens = new Map<string, string>()
  const verificationTokens = new Map<string, string>()
  const resetTokens = new Map<string, string>()
  const calls: RecordedCall[] = []
  let mode: FakeAegisMode = 'up'

  const app = new Hono()
  app.use(async (c, next) => {
    const text = c.req.method === 'GET' ? '' : await c.req.text()
    let body: unknown = text
    try {
      body = text === '' ? undefined : JSON.parse(text)
    } catch {}
    calls.push({ method: c.req.method, path: c.req.path, headers: Object.fromEntries(c.req.raw.headers), body })
    if (mode === 'hang') return new Promise<Response>(() => {})
    if (mode === 'error') return c.json({ error: 'internal error' }, 500)
    return next()
  })

  app.get('/api/auth/me', (c) => {
    const match = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '')
    const uuid = match?.[1] === undefined ? undefined : tokens.get(match[1])
    const user = uuid === undefined ? undefined : users.get(uuid)
    if (user === undefined) return c.json({ error: 'invalid or expired token' }, 401)
    const { password: _password, id: _id, ...wire } = user
    return c.json(wire)
  })

  const publicCall = new Hono<{ Variables: { body: Record<string, unknown> } }>()
  publicCall.use(async (c, next) => {
    if (c.req.header('x-tenant-api-key') !== tenantApiKey) return c.json({ error: 'invalid tenant api key' }, 401)
    const body: unknown = await c.req.json().catch(() => null)
    if (typeof body !== 'object' || body === null) return c.json({ error: 'invalid json' }, 400)
    c.set('body', { ...body })
    return next()
  })
  const str = (value: unknown) => (typeof value === 'string' ? value : '')
  const site = (b: Record<string, unknown>) =>
    typeof b.site_id === 'string' && sites.has(b.site_id) ? b.site_id : null
  const byEmail = (email: string, inSite: string) =>
    [...users.values()].find((u) => u.email === email.toLowerCase() && u.site_uuid === inSite)

  publicCall.post('/login', (c) => {
    const b = c.get('body')
    const inSite = site(b)
    if (inSite === null) return c.json({ error: 'unknown site' }, 400)
    const user = byEmail(str(b.email), inSite)
    if (user === undefined || user.password !== b.password) return c.json({ error: 'invalid credentials' }, 401)
    if (!user.is_verified) return c.json({ error: 'email not verified' }, 403)
    const token = randomBytes(24).toString('base64url')
    tokens.set(token, user.uuid)
    return c.json({ token, user_uuid: user.uuid, expires_at: now() + 3600, role: user.role })
  })
  publicCall.post('/register', (c) => {
    const b = c.get('body')
    const inSite = site(b)
    if (inSite === null) return c.json({ error: 'unknown site' }, 400)
    if (!str(b.email).includes('@') || str(b.password).length < 8)
      return c.json({ error: 'invalid email or password' }, 400)
    if (byEmail(str(b.email), inSite) !== undefined) return c.json({ error: 'email already registered' }, 400)
    const { user } = addUser({ email: str(b.email), password: str(b.password), is_verified: false, site_uuid: inSite })
    const verification = randomBytes(16).toString('hex')
    verificationTokens.set(verification, user.uuid)
    return c.json({ user_uuid: user.uuid, message: 'verification email sent' }, 201)
  })
  publicCall.post('/verify-email', (c) => {
    const uuid = verificationTokens.get(str(c.get('body').token))
    const user = uuid === undefined ? undefined : users.get(uuid)
    if (user === undefined) return c.json({ error: 'invalid verification token' }, 400)
    user.is_verified = true
    return c.json({ message: 'email verified', user_uuid: user.uuid })
  })
  publicCall.post('/check-verification-token', (c) => {
    if (!verificationTokens.has(str(c.get('body').token))) return c.json({ error: 'invalid verification token' }, 400)
    return c.json({ valid: true })
  })
  publicCall.post('/request-password-reset', (c) => {
    const b = c.get('body')
    const inSite = site(b)
    if (inSite === null) return c.json({ error: 'unknown site' }, 400)
    const user = byEmail(str(b.email), inSite)
    if (user !== undefined) resetTokens.set(randomBytes(16).toString('hex'), user.uuid)
    return c.json({ message: 'if the email is registered, a reset link was sent' })
  })
  publicCall.post('/reset-password', (c) => {
    const b = c.get('body')
    const uuid = resetTokens.get(str(b.token))
    const user = uuid === undefined ? undefined : users.get(uuid)
    if (user === undefined || str(b.new_password).length < 8) return c.json({ error: 'invalid token or password' }, 400)
    user.password = str(b.new_password)
    return c.json({ message: 'password updated' })
  })
  app.route('/api/auth', publicCall)

  function addUser(overrides: Partial<FakeAegisUser> = {}) {
    const uuid = overrides.uuid ?? randomUUID()
    const user: FakeAegisUser = {
      id: nextId++,
      uuid,
      site_uuid: siteId,
      email: `user-${uuid.slice(0, 8)}@example.com`,
      is_verified: true,
      role: 'user',
      created_at: now(),
      updated_at: now(),
      deletion_protected: false,
      password: 'correct horse battery staple',
      ...overrides,
    }
    user.email = user.email.toLowerCase()
    users.set(uuid, user)
    return { user, token: issueToken(uuid) }
  }

  function issueToken(uuid: string) {
    const token = randomBytes(24).toString('base64url')
    tokens.set(token, uuid)
    return token
  }

  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    tenantApiKey,
    siteId,
    otherSiteId,
    calls,
    addUser,
    issueToken,
    revokeToken: (token) => {
      tokens.delete(token)
    },
    setToken: (token, uuid) => {
      tokens.set(token, uuid)
    },
    callsTo: (path) => calls.filter((call) => call.path === path),
    webhookBody: (eventType, user, overrides = {}) =>
      JSON.stringify({
        event_type: eventType,
        site_id: user.site_uuid,
        user_id: user.id,
        email: user.email,
        aegis_role: user.role,
        timestamp: now(),
        ...overrides,
      }),
    emailedToken: (kind, uuid) => {
      const table = kind === 'verification' ? verificationTokens : resetTokens
      return [...table.entries()].find(([, owner]) => owner === uuid)?.[0]
    },
    setMode: (next) => {
      mode = next
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/**
 * The headers Aegis sends with a webhook: `X-Aegis-Signature` (HMAC-SHA256 of "<timestamp>.<body>" with the
 * shared secret), `X-Aegis-Timestamp` (now, unless given) and `X-Aegis-Event` (the body's `event_type`, unless given).
 */
export function webhookHeaders(
  secret: string,
  body: string,
  opts: { timestamp?: number; eventType?: string } = {},
): Record<string, string> {
  const timestamp = opts.timestamp ?? now()
  return {
    'content-type': 'application/json',
    'x-aegis-event': opts.eventType ?? eventTypeOf(body),
    'x-aegis-signature': signAegisWebhook({ secret, timestamp, rawBody: body }),
    'x-aegis-timestamp': String(timestamp),
  }
}

function eventTypeOf(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body)
    const type = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'event_type') : undefined
    return typeof type === 'string' ? type : 'user.verified'
  } catch {
    return 'user.verified'
  }
}
