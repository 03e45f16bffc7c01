import { generateApiKey, generateSharedSecret, type Sealer } from '@gatekeeper/crypto'
import type { RotateCredentialInput } from '@gatekeeper/models'
import { and, eq, isNull, lte } from 'drizzle-orm'
import { clientCredentials } from '../schema'
import { insertCredentialRows } from './credentials'
import type { AdminTx } from './types'
import { epochSeconds } from './wire'

export type Rotation = {
  /** The new raw credential, for the caller to hand out once. */
  raw: string
  /** When the previous current credential stops working; null when it was deleted (or there was none). */
  previousExpiresAt: number | null
  /** The latest use of the credentials this rotation deleted; null when none of them was ever used. */
  retiredLastUsedAt: Date | null
}

function latest(rows: readonly { lastUsedAt: Date | null }[], than: Date | null): Date | null {
  let at = than
  for (const { lastUsedAt } of rows) if (lastUsedAt !== null && (at === null || lastUsedAt > at)) at = lastUsedAt
  return at
}

/**
 * Replaces a client's current credential of one kind (the client row is locked by the caller).
 * With a grace period the old one stays valid until `now + grace` (one still inside an earlier grace
 * period keeps its own expiry); without, every credential of that kind is deleted. Rotating a kind the
 * client lacks just adds it. Credentials of that kind whose grace already ended are purged. The latest use of
 * what is deleted is returned for the client row to keep (its last use must not go back in time).
 */
export async function rotateCredential(
  tx: AdminTx,
  sealer: Sealer,
  clientId: string,
  input: RotateCredentialInput,
  now: Date,
): Promise<Rotation> {
  const ofKind = and(eq(clientCredentials.clientId, clientId), eq(clientCredentials.kind, input.credential))
  const lastUse = { lastUsedAt: clientCredentials.lastUsedAt }
  const purged = await tx
    .delete(clientCredentials)
    .where(and(ofKind, lte(clientCredentials.expiresAt, now)))
    .returning(lastUse)
  let retiredLastUsedAt = latest(purged, null)

  // The new credential is accepted from where the current one was: a rotation must not widen access.
  const [current] = await tx
    .select({ ipAllowlist: clientCredentials.ipAllowlist })
    .from(clientCredentials)
    .where(and(ofKind, isNull(clientCredentials.expiresAt)))
  const ipAllowlist = current?.ipAllowlist ?? null

  let previousExpiresAt: number | null = null
  if (input.grace_seconds > 0) {
    // A whole second, as the answer's previous_expires_at says and as every expiry is kept: refused from that
    // second on. Rounded up, so the overlap is never shorter than asked.
    const expiresAt = new Date(Math.ceil(now.getTime() / 1000 + input.grace_seconds) * 1000)
    const retired = await tx
      .update(clientCredentials)
      .set({ expiresAt })
      .where(and(ofKind, isNull(clientCredentials.expiresAt)))
      .returning({ id: clientCredentials.id })
    if (retired.length > 0) previousExpiresAt = epochSeconds(expiresAt)
  } else {
    // No grace: whatever of this kind still works stops now (a leaked key is the usual reason), including
    // a credential still inside an earlier rotation's grace period.
    retiredLastUsedAt = latest(await tx.delete(clientCredentials).where(ofKind).returning(lastUse), retiredLastUsedAt)
  }

  const raw = input.credential === 'api_key' ? generateApiKey() : generateSharedSecret()
  const validUntil = input.expires_at == null ? null : new Date(input.expires_at * 1000)
  await insertCredentialRows(
    tx,
    sealer,
    clientId,
    input.credential === 'api_key'
      ? { apiKey: raw, legacy: false, validUntil, ipAllowlist }
      : { sharedSecret: raw, legacy: false, validUntil, ipAllowlist },
  )
  return { raw, previousExpiresAt, retiredLastUsedAt }
}
