import {
  ApiError,
  type ConsoleAdminSource,
  type ConsoleAdminWire,
  consoleAdminCreateSchema,
  emailSchema,
  hasControlChars,
} from '@gatekeeper/models'
import { and, asc, eq, isNull, or, sql } from 'drizzle-orm'
import { type ConsoleAdmin, consoleAdmins } from '../schema'
import { revokeTokensCreatedBy } from './admin-tokens'
import { auditReturnedRow, writeAudit } from './audit'
import { parseId, parseInput } from './errors'
import { inTransaction, reading } from './tx'
import type { Actor, AdminDatabase, AdminTx } from './types'
import { consoleAdminWire } from './wire'

/** The signed-in Aegis user (`GET /api/auth/me`): `emailVerified` is its `is_verified`. */
export type AegisIdentity = { uuid: string; email?: string | null; emailVerified: boolean }

/** From an Aegis webhook body: `user_id` may be a number or absent. */
export type AegisWebhookUser = { userId?: string | number | null; email?: string | null }

/** A signed-in Aegis user of another site, refused (what the audit entry records). */
export type ForeignSiteUser = { uuid: string; email?: string | null; siteUuid: string }

/**
 * What a `user.verified` webhook did: `provisioned` a new row; `already_admin` (the row exists and the
 * event told nothing new, or filled in the webhook id of a row that had none); `identity_mismatch` (the
 * row already names another webhook user id: audited, nothing changed).
 */
export type ProvisionOutcome = 'provisioned' | 'already_admin' | 'identity_mismatch'

export const WEBHOOK_ACTOR: Actor = { actor: 'aegis', actorType: 'webhook' }

/** Who records a refused sign-in: console-api itself (the refused user is no admin). */
export const SIGN_IN_ACTOR: Actor = { actor: 'console-api', actorType: 'system' }

export type ConsoleAdminOps = {
  list(): Promise<ConsoleAdminWire[]>
  /** `{email, aegis_user_id?}`; the source is `cli` for a CLI actor, `api` otherwise. 409 on a duplicate. */
  add(actor: Actor, body: unknown): Promise<ConsoleAdminWire>
  remove(actor: Actor, id: string): Promise<ConsoleAdminWire>
  /**
   * The admin row for a signed-in Aegis user of our site (the caller checks the site): the row bound to
   * that uuid, or else the row with that *verified* email that is not bound yet, which is then bound to
   * the uuid (audited as `console_admin.link`). Once bound, only that uuid matches. Null when not an admin.
   */
  findForAegisUser(user: AegisIdentity): Promise<ConsoleAdminWire | null>
  /**
   * Whether the admin row `adminId` still exists and is still bound to `aegisUserId`: checked on every request
   * whose Aegis answer came from a replica's cache, so a removal made anywhere ends access everywhere at once.
   */
  isBoundAdmin(adminId: string, aegisUserId: string): Promise<boolean>
  /**
   * `user.verified` (the caller checks the site and AEGIS_ADMIN_EMAILS first): provisions the email as a
   * pending admin unless a row exists. Never touches the sign-in binding: the webhook's `user_id` is kept
   * as `aegis_webhook_user_id`, set once. Idempotent: a redelivery changes nothing and audits nothing.
   */
  provisionFromWebhook(
    user: AegisWebhookUser,
    actor?: Actor,
  ): Promise<{ created: boolean; outcome: ProvisionOutcome; admin: ConsoleAdminWire }>
  /**
   * The Aegis user was deleted: removes the admin that webhooks named by that id (or bound to it), or the
   * row with that email while it is neither bound nor named by any webhook id. Never the last admin: that row is
   * kept (`lastAdminKept`, audited as `console_admin.deprovision_refused`).
   */
  deprovisionAegisUser(user: AegisWebhookUser, actor?: Actor): Promise<{ removed: boolean; lastAdminKept?: true }>
  /** Audits a sign-in refused because the Aegis user belongs to another site. */
  recordForeignSiteSignIn(user: ForeignSiteUser, actor?: Actor): Promise<void>
}

function sourceFor(actor: Actor): ConsoleAdminSource {
  if (actor.actorType === 'cli') return 'cli'
  if (actor.actorType === 'webhook') return 'webhook'
  return 'api'
}

const MAX_AEGIS_ID_LENGTH = 200

/** An Aegis id as we store it, or null when absent or unusable (what Aegis sends is not trusted to be tidy). */
function aegisIdOf(userId: string | number | null | undefined): string | null {
  if (userId === null || userId === undefined) return null
  const id = String(userId).trim()
  if (id === '' || id.length > MAX_AEGIS_ID_LENGTH || hasControlChars(id)) return null
  return id
}

/** A value from Aegis made safe for an audit entry (jsonb refuses NUL): printable, bounded. */
function printable(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null
  // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point
  return value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?').slice(0, MAX_AEGIS_ID_LENGTH)
}

/** A usable email or null (what Aegis sends is not trusted to be well-formed). */
function normalEmail(email: string | null | undefined): string | null {
  if (email === null || email === undefined) return null
  const parsed = emailSchema.safeParse(email)
  return parsed.success ? parsed.data : null
}

const LAST_ADMIN_MESSAGE = 'the last console admin cannot be removed: add another console admin first'

/**
 * Called in a transaction that has just deleted console admins: refuses (rolls back) one that would leave none,
 * so no removal (by an admin token, a webhook, or two removals at once) locks everyone out of the console. The
 * lock orders concurrent removals; each sees the others' committed deletes, since every statement of a
 * READ COMMITTED transaction reads a fresh snapshot.
 */
export async function keepOneAdmin(tx: AdminTx): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('gatekeeper.console_admins.keep_one'))`)
  const [left] = await tx.select({ id: consoleAdmins.id }).from(consoleAdmins).limit(1)
  if (left === undefined) throw ApiError.conflict(LAST_ADMIN_MESSAGE)
}

async function bindAegisId(tx: AdminTx, actor: Actor, row: ConsoleAdmin, aegisUserId: string) {
  const [bound] = await tx.update(consoleAdmins).set({ aegisUserId }).where(eq(consoleAdmins.id, row.id)).returning()
  return auditReturnedRow(tx, actor, bound, {
    action: 'console_admin.link',
    toWire: consoleAdminWire,
    missing: () => ApiError.notFound('console_admin'),
    before: consoleAdminWire(row),
  })
}

export function consoleAdminOps(db: AdminDatabase): ConsoleAdminOps {
  async function byAegisId(aegisUserId: string): Promise<ConsoleAdmin | undefined> {
    const [row] = await db.select().from(consoleAdmins).where(eq(consoleAdmins.aegisUserId, aegisUserId))
    return row
  }

  return {
    list: () =>
      reading(async () => {
        const rows = await db.select().from(consoleAdmins).orderBy(asc(consoleAdmins.createdAt), asc(consoleAdmins.id))
        return rows.map(consoleAdminWire)
      }),

    add: async (actor, body) => {
      const input = parseInput(consoleAdminCreateSchema, body)
      return inTransaction(db, async (tx) => {
        const [row] = await tx
          .insert(consoleAdmins)
          .values({ email: input.email, aegisUserId: input.aegis_user_id ?? null, source: sourceFor(actor) })
          .returning()
        return auditReturnedRow(tx, actor, row, {
          action: 'console_admin.add',
          toWire: consoleAdminWire,
          missing: () => ApiError.internal(),
        })
      })
    },

    remove: async (actor, id) => {
      const adminId = parseId(id, 'console_admin')
      return inTransaction(db, async (tx) => {
        const [row] = await tx.delete(consoleAdmins).where(eq(consoleAdmins.id, adminId)).returning()
        // The CLI is exempt: it is how admins are added back, so whoever runs it cannot be locked out.
        if (row !== undefined && actor.actorType !== 'cli') await keepOneAdmin(tx)
        if (row !== undefined) await revokeTokensCreatedBy(tx, actor, [row.email])
        return auditReturnedRow(tx, actor, row, {
          action: 'console_admin.remove',
          toWire: consoleAdminWire,
          missing: () => ApiError.notFound('console_admin'),
          removed: true,
        })
      })
    },

    findForAegisUser: (user) =>
      reading(async () => {
        const uuid = aegisIdOf(user.uuid)
        if (uuid === null) return null
        const bound = await byAegisId(uuid)
        if (bound !== undefined) return consoleAdminWire(bound)
        const email = user.emailVerified ? normalEmail(user.email) : null
        if (email === null) return null
        const linked = await inTransaction(db, async (tx) => {
          const [row] = await tx
            .select()
            .from(consoleAdmins)
            .where(and(eq(consoleAdmins.email, email), isNull(consoleAdmins.aegisUserId)))
            .for('update')
          if (row === undefined) return undefined
          return bindAegisId(tx, { actor: email, actorType: 'console_admin' }, row, uuid)
        }).catch((err: unknown) => {
          // The uuid is bound to another row meanwhile: the lookup below finds whichever row has it.
          if (err instanceof ApiError && err.code === 'conflict') return undefined
          throw err
        })
        if (linked !== undefined) return linked
        // Two first requests of the same user at once: the one that waited finds the row bound by the other.
        const admin = await byAegisId(uuid)
        return admin === undefined ? null : consoleAdminWire(admin)
      }),

    isBoundAdmin: (adminId, aegisUserId) =>
      reading(async () => {
        const [row] = await db
          .select({ id: consoleAdmins.id })
          .from(consoleAdmins)
          .where(and(eq(consoleAdmins.id, adminId), eq(consoleAdmins.aegisUserId, aegisUserId)))
        return row !== undefined
      }),

    provisionFromWebhook: async (user, actor = WEBHOOK_ACTOR) => {
      const email = parseInput(emailSchema, user.email)
      const webhookUserId = aegisIdOf(user.userId)
      return inTransaction(db, async (tx) => {
        const [existing] = await tx.select().from(consoleAdmins).where(eq(consoleAdmins.email, email)).for('update')
        if (existing !== undefined) {
          if (webhookUserId === null || existing.aegisWebhookUserId === webhookUserId) {
            return { created: false, outcome: 'already_admin' as const, admin: consoleAdminWire(existing) }
          }
          if (existing.aegisWebhookUserId === null) {
            // A row added by email (CLI/API) learns the id webhooks name this user by, for user.deleted.
            // The sign-in binding (aegis_user_id) is not touched.
            const [noted] = await tx
              .update(consoleAdmins)
              .set({ aegisWebhookUserId: webhookUserId })
              .where(eq(consoleAdmins.id, existing.id))
              .returning()
            const admin = await auditReturnedRow(tx, actor, noted, {
              action: 'console_admin.webhook_user_id',
              toWire: consoleAdminWire,
              missing: () => ApiError.notFound('console_admin'),
              before: consoleAdminWire(existing),
            })
            return { created: false, outcome: 'already_admin' as const, admin }
          }
          // Another Aegis user id for an email we already know: never a reason to change who this admin is.
          await writeAudit(tx, actor, {
            action: 'console_admin.webhook_mismatch',
            entityType: 'console_admin',
            entityId: existing.id,
            before: consoleAdminWire(existing),
            after: { ...consoleAdminWire(existing), ignored_webhook_user_id: webhookUserId },
          })
          return { created: false, outcome: 'identity_mismatch' as const, admin: consoleAdminWire(existing) }
        }
        // ON CONFLICT: the same event delivered twice at once inserts once.
        const [row] = await tx
          .insert(consoleAdmins)
          .values({ email, aegisWebhookUserId: webhookUserId, source: 'webhook' })
          .onConflictDoNothing()
          .returning()
        if (row === undefined) {
          const [raced] = await tx.select().from(consoleAdmins).where(eq(consoleAdmins.email, email))
          if (raced === undefined) throw ApiError.conflict('the console admin changed concurrently; retry')
          return { created: false, outcome: 'already_admin' as const, admin: consoleAdminWire(raced) }
        }
        const admin = consoleAdminWire(row)
        await writeAudit(tx, actor, {
          action: 'console_admin.provision',
          entityType: 'console_admin',
          entityId: row.id,
          after: admin,
        })
        return { created: true, outcome: 'provisioned' as const, admin }
      })
    },

    deprovisionAegisUser: async (user, actor = WEBHOOK_ACTOR) => {
      const aegisUserId = aegisIdOf(user.userId)
      const email = normalEmail(user.email)
      if (aegisUserId === null && email === null) throw ApiError.badRequest('user_id or email is required')
      const removal = inTransaction(db, async (tx) => {
        const rows = await tx
          .delete(consoleAdmins)
          .where(
            or(
              aegisUserId === null ? undefined : eq(consoleAdmins.aegisWebhookUserId, aegisUserId),
              aegisUserId === null ? undefined : eq(consoleAdmins.aegisUserId, aegisUserId),
              email === null
                ? undefined
                : and(
                    eq(consoleAdmins.email, email),
                    isNull(consoleAdmins.aegisUserId),
                    isNull(consoleAdmins.aegisWebhookUserId),
                  ),
            ),
          )
          .returning()
        if (rows.length > 0) await keepOneAdmin(tx)
        await revokeTokensCreatedBy(
          tx,
          actor,
          rows.map((row) => row.email),
        )
        for (const row of rows) {
          await writeAudit(tx, actor, {
            action: 'console_admin.deprovision',
            entityType: 'console_admin',
            entityId: row.id,
            before: consoleAdminWire(row),
          })
        }
        return { removed: rows.length > 0 }
      })
      try {
        return await removal
      } catch (err) {
        if (!(err instanceof ApiError && err.message === LAST_ADMIN_MESSAGE)) throw err
        // Aegis deleted the user, but deleting the row would leave nobody able to administer Gatekeeper. The row
        // no longer signs anyone in (its Aegis user is gone); an operator removes it once another admin exists.
        await inTransaction(db, (tx) =>
          writeAudit(tx, actor, {
            action: 'console_admin.deprovision_refused',
            entityType: 'console_admin',
            entityId: aegisUserId === null ? `email:${email}` : `aegis:${aegisUserId}`,
            after: { reason: 'last_admin', aegis_user_id: aegisUserId, email },
          }),
        )
        return { removed: false, lastAdminKept: true as const }
      }
    },

    recordForeignSiteSignIn: async (user, actor = SIGN_IN_ACTOR) => {
      const uuid = printable(user.uuid) ?? ''
      const email = normalEmail(user.email)
      await inTransaction(db, async (tx) => {
        // Filed under the admin row the email would have matched, when there is one: that row was the target.
        const [row] = email === null ? [] : await tx.select().from(consoleAdmins).where(eq(consoleAdmins.email, email))
        await writeAudit(tx, actor, {
          action: 'console_admin.refuse_foreign_site',
          entityType: 'console_admin',
          entityId: row?.id ?? `aegis:${uuid}`,
          after: { aegis_user_id: uuid, email: email ?? printable(user.email), site_uuid: printable(user.siteUuid) },
        })
      })
    },
  }
}
