import {
  ApiError,
  type ConsoleAdminSource,
  type ConsoleAdminWire,
  consoleAdminCreateSchema,
  emailSchema,
} from '@gatekeeper/models'
import { and, asc, eq, isNull, or } from 'drizzle-orm'
import { type ConsoleAdmin, consoleAdmins } from '../schema'
import { writeAudit } from './audit'
import { parseId, parseInput } from './errors'
import { inTransaction, reading } from './tx'
import type { Actor, AdminDatabase, AdminTx } from './types'
import { consoleAdminWire } from './wire'

/** The signed-in Aegis user (`GET /api/auth/me`): `emailVerified` is its `is_verified`. */
export type AegisIdentity = { uuid: string; email?: string | null; emailVerified: boolean }

/** From an Aegis webhook body: `user_id` may be a number or absent. */
export type AegisWebhookUser = { userId?: string | number | null; email?: string | null }

export const WEBHOOK_ACTOR: Actor = { actor: 'aegis', actorType: 'webhook' }

export type ConsoleAdminOps = {
  list(): Promise<ConsoleAdminWire[]>
  /** `{email, aegis_user_id?}`; the source is `cli` for a CLI actor, `api` otherwise. 409 on a duplicate. */
  add(actor: Actor, body: unknown): Promise<ConsoleAdminWire>
  remove(actor: Actor, id: string): Promise<ConsoleAdminWire>
  /**
   * The admin row for a signed-in Aegis user: by Aegis id, or by verified email on a row not yet bound
   * to an Aegis id (which then binds it, audited as `console_admin.link`). Null when not an admin.
   */
  findForAegisUser(user: AegisIdentity): Promise<ConsoleAdminWire | null>
  /**
   * `user.verified`: provisions the user as an admin unless one exists (idempotent: a redelivery creates
   * no row and no audit entry). The caller checks the email against AEGIS_ADMIN_EMAILS first.
   */
  provisionFromWebhook(user: AegisWebhookUser, actor?: Actor): Promise<{ created: boolean; admin: ConsoleAdminWire }>
  /** The Aegis user was deleted: removes the admin bound to that id (or that email, when still unbound). */
  deprovisionAegisUser(user: AegisWebhookUser, actor?: Actor): Promise<{ removed: boolean }>
}

function sourceFor(actor: Actor): ConsoleAdminSource {
  if (actor.actorType === 'cli') return 'cli'
  if (actor.actorType === 'webhook') return 'webhook'
  return 'api'
}

function aegisIdOf(userId: string | number | null | undefined): string | null {
  if (userId === null || userId === undefined) return null
  const id = String(userId).trim()
  return id === '' ? null : id
}

/** A usable email or null (what Aegis sends is not trusted to be well-formed). */
function normalEmail(email: string | null | undefined): string | null {
  if (email === null || email === undefined) return null
  const parsed = emailSchema.safeParse(email)
  return parsed.success ? parsed.data : null
}

async function bindAegisId(tx: AdminTx, actor: Actor, row: ConsoleAdmin, aegisUserId: string): Promise<ConsoleAdmin> {
  const [bound] = await tx.update(consoleAdmins).set({ aegisUserId }).where(eq(consoleAdmins.id, row.id)).returning()
  if (bound === undefined) throw ApiError.notFound('console_admin')
  await writeAudit(tx, actor, {
    action: 'console_admin.link',
    entityType: 'console_admin',
    entityId: row.id,
    before: consoleAdminWire(row),
    after: consoleAdminWire(bound),
  })
  return bound
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
        if (row === undefined) throw ApiError.internal()
        const admin = consoleAdminWire(row)
        await writeAudit(tx, actor, {
          action: 'console_admin.add',
          entityType: 'console_admin',
          entityId: row.id,
          after: admin,
        })
        return admin
      })
    },

    remove: async (actor, id) => {
      const adminId = parseId(id, 'console_admin')
      return inTransaction(db, async (tx) => {
        const [row] = await tx.delete(consoleAdmins).where(eq(consoleAdmins.id, adminId)).returning()
        if (row === undefined) throw ApiError.notFound('console_admin')
        const admin = consoleAdminWire(row)
        await writeAudit(tx, actor, {
          action: 'console_admin.remove',
          entityType: 'console_admin',
          entityId: row.id,
          before: admin,
        })
        return admin
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
        // Two first requests of the same user at once: the one that waited finds the row bound by the other.
        const admin = linked ?? (await byAegisId(uuid))
        return admin === undefined ? null : consoleAdminWire(admin)
      }),

    provisionFromWebhook: async (user, actor = WEBHOOK_ACTOR) => {
      const email = parseInput(emailSchema, user.email)
      const aegisUserId = aegisIdOf(user.userId)
      return inTransaction(db, async (tx) => {
        const [bound] =
          aegisUserId === null
            ? []
            : await tx.select().from(consoleAdmins).where(eq(consoleAdmins.aegisUserId, aegisUserId)).for('update')
        if (bound !== undefined) return { created: false, admin: consoleAdminWire(bound) }
        const [byEmail] = await tx.select().from(consoleAdmins).where(eq(consoleAdmins.email, email)).for('update')
        if (byEmail !== undefined) {
          // Known by email but not (or no longer) bound to this Aegis user: Aegis vouches for the email now.
          const admin =
            aegisUserId === null || byEmail.aegisUserId === aegisUserId
              ? byEmail
              : await bindAegisId(tx, actor, byEmail, aegisUserId)
          return { created: false, admin: consoleAdminWire(admin) }
        }
        // ON CONFLICT: the same event delivered twice at once inserts once.
        const [row] = await tx
          .insert(consoleAdmins)
          .values({ email, aegisUserId, source: 'webhook' })
          .onConflictDoNothing()
          .returning()
        if (row === undefined) {
          const [raced] = await tx.select().from(consoleAdmins).where(eq(consoleAdmins.email, email))
          if (raced === undefined) throw ApiError.conflict('the console admin changed concurrently; retry')
          return { created: false, admin: consoleAdminWire(raced) }
        }
        const admin = consoleAdminWire(row)
        await writeAudit(tx, actor, {
          action: 'console_admin.provision',
          entityType: 'console_admin',
          entityId: row.id,
          after: admin,
        })
        return { created: true, admin }
      })
    },

    deprovisionAegisUser: async (user, actor = WEBHOOK_ACTOR) => {
      const aegisUserId = aegisIdOf(user.userId)
      const email = normalEmail(user.email)
      if (aegisUserId === null && email === null) throw ApiError.badRequest('user_id or email is required')
      return inTransaction(db, async (tx) => {
        const rows = await tx
          .delete(consoleAdmins)
          .where(
            or(
              aegisUserId === null ? undefined : eq(consoleAdmins.aegisUserId, aegisUserId),
              email === null ? undefined : and(eq(consoleAdmins.email, email), isNull(consoleAdmins.aegisUserId)),
            ),
          )
          .returning()
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
    },
  }
}
