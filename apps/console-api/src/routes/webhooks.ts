import { verifyAegisWebhook } from '@gatekeeper/crypto'
import type { AdmissionStore } from '@gatekeeper/limits'
import { type AegisWebhookEvent, ApiError, aegisWebhookEventSchema, emailSchema } from '@gatekeeper/models'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { AuthCache } from '../aegis/auth-cache'
import type { AppDeps } from '../app-deps'
import type { AppEnv } from '../context'
import { errorResponse } from '../errors'
import type { WebhookOutcome } from '../metrics'

const WEBHOOK_BODY_LIMIT_BYTES = 64 * 1024
const WEBHOOK_TOLERANCE_SECONDS = 300

/** Event types that mean "this Aegis user no longer exists". */
const DELETION_EVENTS = new Set(['user.deleted', 'user.delete', 'user.removed'])

const REJECTIONS = {
  missing_secret: 'not_configured',
  missing_signature: 'rejected_headers',
  missing_timestamp: 'rejected_headers',
  malformed_timestamp: 'rejected_headers',
  malformed_signature: 'rejected_signature',
  bad_signature: 'rejected_signature',
  stale_timestamp: 'rejected_stale',
} as const satisfies Record<string, WebhookOutcome>

function parseEvent(raw: Uint8Array): AegisWebhookEvent | null {
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw))
    const parsed = aegisWebhookEventSchema.safeParse(value)
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

/**
 * `POST /api/webhooks/aegis`: the signature is checked over the exact bytes received, then the event must
 * be about our site. `user.verified` provisions a (pending) console admin iff the email is on
 * AEGIS_ADMIN_EMAILS, and never changes who an existing admin is bound to; a user deletion removes the
 * admin; every other event is acknowledged. Handling is idempotent: Aegis delivers at least once.
 */
export function webhookRoutes(deps: AppDeps, cache: AuthCache, seen: Pick<AdmissionStore, 'admit'>) {
  const app = new Hono<AppEnv>()
  app.use(
    bodyLimit({
      maxSize: WEBHOOK_BODY_LIMIT_BYTES,
      onError: () => {
        throw ApiError.payloadTooLarge()
      },
    }),
  )

  app.post('/aegis', async (c) => {
    const raw = new Uint8Array(await c.req.arrayBuffer())
    const done = (outcome: WebhookOutcome, extra: Record<string, unknown> = {}) => {
      deps.metrics.webhookEvents.inc({ outcome })
      deps.logger.info({ request_id: c.get('requestId'), outcome, ...extra }, 'aegis webhook')
    }
    const verified = verifyAegisWebhook({
      secret: deps.config.aegis.webhookSecret,
      signatureHeader: c.req.header('x-aegis-signature'),
      timestampHeader: c.req.header('x-aegis-timestamp'),
      rawBody: raw,
      nowSeconds: Math.floor(deps.clock.now() / 1000),
      toleranceSeconds: WEBHOOK_TOLERANCE_SECONDS,
    })
    if (!verified.ok) {
      const outcome = REJECTIONS[verified.reason]
      done(outcome, { reason: verified.reason })
      if (outcome === 'not_configured') return errorResponse(c, ApiError.notConfigured('AEGIS_WEBHOOK_SECRET'))
      return errorResponse(c, ApiError.unauthorized('invalid webhook signature'))
    }

    // A captured delivery replayed within the timestamp tolerance carries the same signature: acknowledged, not
    // acted on again (Aegis's own retries are re-signed with a fresh timestamp, so they are new signatures).
    // Checked only once the signature is good, so unsigned requests cannot fill the store.
    const signature = (c.req.header('x-aegis-signature') ?? '').trim().toLowerCase()
    const replay = await seen.admit({
      clientId: 'aegis-webhook',
      nonce: { value: signature.replace(/^sha256=/, ''), ttlSeconds: 2 * WEBHOOK_TOLERANCE_SECONDS },
      now: deps.clock.now(),
    })
    if (replay.outcome === 'replayed') {
      done('replayed')
      return c.json({ status: 'ok', outcome: 'replayed' })
    }
    if (replay.outcome === 'unavailable') {
      // A store that refuses rather than failing open (console-api's own fails open: handling is idempotent, and
      // sign-in throttling on the same store must not lock admins out): Aegis retries later.
      done('unavailable')
      c.header('Retry-After', '30')
      return errorResponse(c, ApiError.upstreamUnavailable('webhook replay store'))
    }

    const event = parseEvent(raw)
    if (event === null) {
      done('malformed_body')
      return errorResponse(c, ApiError.badRequest('expected a JSON event with an event_type'))
    }
    const eventType = event.event_type.slice(0, 64)
    const user = { userId: event.user_id ?? null, email: event.email ?? null }
    const actor = { actor: 'aegis', actorType: 'webhook' as const, requestId: c.get('requestId') }

    // The secret may be shared by several sites of one tenant: an event about another site's user (or one
    // naming no site) is acknowledged, so Aegis stops retrying it, and changes nothing here.
    const siteId = event.site_id === null || event.site_id === undefined ? '' : String(event.site_id).trim()
    if (!deps.config.aegis.webhookSiteIds.has(siteId)) {
      done('foreign_site', { event_type: eventType })
      return c.json({ status: 'ok', outcome: 'foreign_site' })
    }

    if (event.event_type === 'user.verified') {
      // The same parsing as every stored admin email (ASCII only, then trimmed and lower-cased), so an address
      // that only folds onto an allowlisted one is not on the list.
      const parsed = emailSchema.safeParse(user.email)
      const email = parsed.success ? parsed.data : ''
      if (email === '' || !deps.config.aegis.adminEmails.has(email)) {
        done('not_allowlisted', { event_type: eventType })
        return c.json({ status: 'ok', outcome: 'not_allowlisted' })
      }
      const { created, outcome } = await deps.adminOps.admins.provisionFromWebhook(user, actor)
      if (created) deps.metrics.adminActions.inc({ action: 'console_admin.provision' })
      done(outcome, { event_type: eventType, email })
      return c.json({ status: 'ok', outcome })
    }

    if (DELETION_EVENTS.has(event.event_type)) {
      if (user.userId === null && (user.email === null || user.email.trim() === '')) {
        done('malformed_body', { event_type: eventType })
        return errorResponse(c, ApiError.badRequest('a deletion event needs user_id or email'))
      }
      const { removed, lastAdminKept } = await deps.adminOps.admins.deprovisionAegisUser(user, actor)
      if (removed) {
        cache.clear()
        deps.metrics.adminActions.inc({ action: 'console_admin.deprovision' })
      }
      // Acknowledged (a retry would be refused the same way), and kept: nobody would be left to administer.
      const outcome = removed ? 'deprovisioned' : lastAdminKept ? 'last_admin_kept' : 'not_admin'
      done(outcome, { event_type: eventType })
      return c.json({ status: 'ok', outcome })
    }

    done('ignored', { event_type: eventType })
    return c.json({ status: 'ok', outcome: 'ignored' })
  })
  return app
}
