import {
  ADMIN_TOKEN_PREFIX,
  digestToken,
  generateAdminToken,
  generateSignInCode,
  maskApiKey,
  parseAdminToken,
  parseSignInCode,
} from '@gatekeeper/crypto'
import {
  type AdminTokenCreatedWire,
  type AdminTokenKind,
  type AdminTokenScope,
  type AdminTokenWire,
  ApiError,
  adminTokenCreateSchema,
} from '@gatekeeper/models'
import { and, desc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm'
import { type AdminToken, adminTokens, localSignInCodes } from '../schema'
import { auditReturnedRow, writeAudit } from './audit'
import { parseId, parseInput } from './errors'
import { inTransaction, reading } from './tx'
import type { Actor, AdminDatabase, AdminTx } from './types'
import { epochSeconds } from './wire'

/** The actor name of every local sign-in session in the audit log. */
export const LOCAL_ADMIN_NAME = 'local-admin'

/** Who presented a valid admin token. */
export type AdminTokenIdentity = { tokenId: string; kind: AdminTokenKind; name: string; scope: AdminTokenScope }

export type AdminTokenCheck =
  | { ok: true; identity: AdminTokenIdentity }
  | { ok: false; reason: 'malformed' | 'unknown' | 'revoked' | 'expired' }

export type LocalSession = { token: string; expiresAt: Date; identity: AdminTokenIdentity }

export type AdminTokenOps = {
  /** `{name, scope, expires_in_seconds?}`; the raw token is in the answer and nowhere else. 409 on a live duplicate name. */
  create(actor: Actor, body: unknown, now: Date): Promise<AdminTokenCreatedWire>
  /** Named API tokens, newest first, revoked and expired ones included (their state is in the row). */
  list(): Promise<AdminTokenWire[]>
  /** Revokes a live API token at once; 404 when there is none with that id (or it is already revoked). */
  revoke(actor: Actor, id: string): Promise<AdminTokenWire>
  /**
   * Ends a local sign-in session (sign-out): revoked at once, for every replica, since each request looks the
   * token up again. False when there is no live session with that id (already ended, or an API token).
   */
  endSession(actor: Actor, id: string): Promise<boolean>
  /** A presented bearer token: looked up by digest, never compared as text. Records when it was last used. */
  authenticate(raw: string, now: Date): Promise<AdminTokenCheck>
  /** A new one-time local sign-in code (stored as its digest), valid for `ttlSeconds`. */
  createSignInCode(ttlSeconds: number, now: Date): Promise<{ code: string; expiresAt: Date }>
  /**
   * Spends a sign-in code (once: a second exchange of the same code finds it used) for a session token
   * of `sessionSeconds`, audited as the local admin. Null for an unknown, used or expired code.
   */
  exchangeSignInCode(
    code: string,
    opts: { now: Date; sessionSeconds: number; requestId?: string | null },
  ): Promise<LocalSession | null>
}

/**
 * Revokes the live API tokens that console admins with these emails created, in the caller's transaction (the
 * removal of those admins): a token must not keep a removed admin's access. Each revocation is audited under the
 * remover. Tokens a token created are not followed: `created_by` then names a token, and names can be reused.
 */
export async function revokeTokensCreatedBy(tx: AdminTx, actor: Actor, emails: ReadonlyArray<string>): Promise<void> {
  if (emails.length === 0) return
  const rows = await tx
    .update(adminTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(adminTokens.kind, 'api'), isNull(adminTokens.revokedAt), inArray(adminTokens.createdBy, [...emails])))
    .returning()
  for (const row of rows) {
    await writeAudit(tx, actor, {
      action: 'admin_token.revoke',
      entityType: 'admin_token',
      entityId: row.id,
      before: { ...adminTokenWire(row), revoked_at: null },
      after: { ...adminTokenWire(row), revoked_because: 'creator_removed' },
    })
  }
}

export function adminTokenWire(row: AdminToken): AdminTokenWire {
  return {
    token_id: row.id,
    name: row.name,
    scope: row.scope,
    token_masked: maskApiKey(row.tokenPrefix, row.tokenLast4),
    created_at: epochSeconds(row.createdAt),
    created_by: row.createdBy,
    expires_at: row.expiresAt === null ? null : epochSeconds(row.expiresAt),
    last_used_at: row.lastUsedAt === null ? null : epochSeconds(row.lastUsedAt),
    revoked_at: row.revokedAt === null ? null : epochSeconds(row.revokedAt),
  }
}

function tokenColumns(token: string) {
  return {
    tokenDigest: digestToken(token),
    tokenPrefix: token.slice(0, ADMIN_TOKEN_PREFIX.length + 4),
    tokenLast4: token.slice(-4),
  }
}

// last_used_at is advisory ("is this token still in use?"): written at most once a minute per token,
// so a busy automation does not turn every read into a write.
const LAST_USED_RESOLUTION = sql`interval '1 minute'`

export function adminTokenOps(db: AdminDatabase): AdminTokenOps {
  return {
    create: async (actor, body, now) => {
      const input = parseInput(adminTokenCreateSchema, body)
      const token = generateAdminToken()
      const expiresAt =
        input.expires_in_seconds === undefined || input.expires_in_seconds === null
          ? null
          : new Date(now.getTime() + input.expires_in_seconds * 1000)
      return inTransaction(db, async (tx) => {
        const [row] = await tx
          .insert(adminTokens)
          .values({
            kind: 'api',
            name: input.name,
            scope: input.scope,
            ...tokenColumns(token),
            createdBy: actor.actor,
            // The same clock as expiresAt: with the database's now() the two could straddle a second, and the
            // token would report a lifetime a second shorter than asked.
            createdAt: now,
            expiresAt,
          })
          .returning()
        const wire = await auditReturnedRow(tx, actor, row, {
          action: 'admin_token.create',
          toWire: adminTokenWire,
          missing: () => ApiError.internal(),
        })
        return { ...wire, token }
      })
    },

    list: () =>
      reading(async () => {
        const rows = await db
          .select()
          .from(adminTokens)
          .where(eq(adminTokens.kind, 'api'))
          .orderBy(desc(adminTokens.createdAt), desc(adminTokens.id))
        return rows.map(adminTokenWire)
      }),

    revoke: async (actor, id) => {
      const tokenId = parseId(id, 'admin_token')
      return inTransaction(db, async (tx) => {
        const [before] = await tx
          .select()
          .from(adminTokens)
          .where(and(eq(adminTokens.id, tokenId), eq(adminTokens.kind, 'api'), isNull(adminTokens.revokedAt)))
          .for('update')
        if (before === undefined) throw ApiError.notFound('admin_token')
        const [row] = await tx
          .update(adminTokens)
          .set({ revokedAt: sql`now()` })
          .where(eq(adminTokens.id, tokenId))
          .returning()
        return auditReturnedRow(tx, actor, row, {
          action: 'admin_token.revoke',
          toWire: adminTokenWire,
          missing: () => ApiError.notFound('admin_token'),
          before: adminTokenWire(before),
        })
      })
    },

    endSession: async (actor, id) => {
      const tokenId = parseId(id, 'admin_token')
      return inTransaction(db, async (tx) => {
        const [row] = await tx
          .update(adminTokens)
          .set({ revokedAt: sql`now()` })
          .where(and(eq(adminTokens.id, tokenId), eq(adminTokens.kind, 'local_session'), isNull(adminTokens.revokedAt)))
          .returning()
        if (row === undefined) return false
        await writeAudit(tx, actor, {
          action: 'admin_token.sign_out',
          entityType: 'admin_token',
          entityId: row.id,
          after: adminTokenWire(row),
        })
        return true
      })
    },

    authenticate: (raw, now) =>
      reading(async (): Promise<AdminTokenCheck> => {
        // A mistyped token is refused by its checksum, before the database is asked.
        if (!parseAdminToken(raw).ok) return { ok: false, reason: 'malformed' }
        const [row] = await db
          .select()
          .from(adminTokens)
          .where(eq(adminTokens.tokenDigest, digestToken(raw)))
        if (row === undefined) return { ok: false, reason: 'unknown' }
        if (row.revokedAt !== null) return { ok: false, reason: 'revoked' }
        if (row.expiresAt !== null && row.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' }
        await db
          .update(adminTokens)
          .set({ lastUsedAt: sql`now()` })
          .where(
            and(
              eq(adminTokens.id, row.id),
              or(isNull(adminTokens.lastUsedAt), lt(adminTokens.lastUsedAt, sql`now() - ${LAST_USED_RESOLUTION}`)),
            ),
          )
        return { ok: true, identity: { tokenId: row.id, kind: row.kind, name: row.name, scope: row.scope } }
      }),

    createSignInCode: (ttlSeconds, now) =>
      reading(async () => {
        const code = generateSignInCode()
        const expiresAt = new Date(now.getTime() + ttlSeconds * 1000)
        await db.insert(localSignInCodes).values({ codeDigest: digestToken(code), expiresAt })
        return { code, expiresAt }
      }),

    exchangeSignInCode: async (code, opts) => {
      if (!parseSignInCode(code).ok) return null
      return inTransaction(db, async (tx) => {
        // One statement decides: of two exchanges racing for the same code, exactly one updates the row.
        const [spent] = await tx
          .update(localSignInCodes)
          .set({ usedAt: sql`now()` })
          .where(
            and(
              eq(localSignInCodes.codeDigest, digestToken(code)),
              isNull(localSignInCodes.usedAt),
              gt(localSignInCodes.expiresAt, opts.now),
            ),
          )
          .returning({ id: localSignInCodes.id })
        if (spent === undefined) return null
        const token = generateAdminToken()
        const expiresAt = new Date(opts.now.getTime() + opts.sessionSeconds * 1000)
        const actor: Actor = { actor: LOCAL_ADMIN_NAME, actorType: 'local_admin', requestId: opts.requestId ?? null }
        const [row] = await tx
          .insert(adminTokens)
          .values({
            kind: 'local_session',
            name: LOCAL_ADMIN_NAME,
            scope: 'write',
            ...tokenColumns(token),
            createdBy: LOCAL_ADMIN_NAME,
            createdAt: opts.now,
            expiresAt,
          })
          .returning()
        if (row === undefined) throw ApiError.internal()
        await writeAudit(tx, actor, {
          action: 'admin_token.local_sign_in',
          entityType: 'admin_token',
          entityId: row.id,
          after: adminTokenWire(row),
        })
        return { token, expiresAt, identity: { tokenId: row.id, kind: row.kind, name: row.name, scope: row.scope } }
      })
    },
  }
}
