import { apiKeyDisplayParts, digestApiKey, parseApiKey } from '@gatekeeper/crypto'
import { clientWire } from '@gatekeeper/db/admin'
import { type Client, type ClientCredential, clientCredentials, clients } from '@gatekeeper/db/schema'
import { type ClientWire, clientNameSchema, clientStatusSchema } from '@gatekeeper/models'
import { and, eq, isNull, ne, sql } from 'drizzle-orm'
import type { OriginalClient } from './original'
import { dateOf, describeIssues, type ImportRun, keptId, skip, tally } from './run'

type Current = { row: Client; key: ClientCredential | undefined; secret: ClientCredential | undefined }

/** The client as the audit log shows it: masked key only. */
function wireOf(row: Client, key: { prefix: string; last4: string } | undefined, hasSecret: boolean): ClientWire {
  return clientWire({
    ...row,
    apiKeyPrefix: key?.prefix ?? null,
    apiKeyLast4: key?.last4 ?? null,
    hasSharedSecret: hasSecret,
    // The original system has no credential expiry; an imported credential never carries one.
    apiKeyValidUntil: null,
    sharedSecretValidUntil: null,
    // Not read for the audit shape of an import: a use is authz's to record.
    lastUsedAt: null,
  })
}

async function loadCurrent(run: ImportRun, clientId: string): Promise<Current | undefined> {
  const [row] = await run.q.select().from(clients).where(eq(clients.id, clientId))
  if (row === undefined) return undefined
  const creds = await run.q
    .select()
    .from(clientCredentials)
    .where(and(eq(clientCredentials.clientId, clientId), isNull(clientCredentials.expiresAt)))
  return { row, key: creds.find((c) => c.kind === 'api_key'), secret: creds.find((c) => c.kind === 'shared_secret') }
}

/**
 * The original's plaintext key, if authz could ever accept it. Keys there have no prefix or checksum
 * (legacy); one that happens to start with `gk_` is read by authz as one of ours and refused on its
 * checksum before any lookup, so it is reported instead of stored.
 */
function usableKey(run: ImportRun, clientId: string, key: string | null): string | undefined {
  if (key === null) return undefined
  const parsed = parseApiKey(key)
  if (parsed.ok) return key
  const why = key.startsWith('gk_')
    ? 'starts with gk_ but is not a valid Gatekeeper key (authz would refuse it on its checksum)'
    : parsed.reason === 'empty'
      ? 'is empty'
      : 'is not usable (16-256 visible characters, no spaces, quotes, commas or backslashes)'
  run.report.problems.push({
    entity: 'clients',
    id: clientId,
    message: `API key ${why}; imported without it: rotate this client's key (gatekeeper client rotate ${clientId} --credential api_key)`,
  })
  return undefined
}

/** Another client here already holds this key's digest: it cannot be stored twice. */
async function digestTaken(run: ImportRun, clientId: string, digest: string): Promise<boolean> {
  const [owner] = await run.q
    .select({ clientId: clientCredentials.clientId })
    .from(clientCredentials)
    .where(and(eq(clientCredentials.apiKeyDigest, digest), ne(clientCredentials.clientId, clientId)))
  if (owner === undefined) return false
  run.report.problems.push({
    entity: 'clients',
    id: clientId,
    message: `API key is already used by client ${owner.clientId} here; imported without it`,
  })
  return true
}

/**
 * Clients keep their ids (HMAC client ids in the field stay valid). Keys are stored as digests and
 * secrets sealed, both flagged legacy. A credential rotated here since the last import (not legacy)
 * is left alone: after cut-over, Gatekeeper is the source of truth.
 */
export async function importClients(run: ImportRun, rows: ReadonlyArray<OriginalClient>): Promise<void> {
  for (const c of rows) {
    const clientId = keptId(run, 'clients', c.id, 'client_id')
    if (clientId === undefined) continue
    const name = clientNameSchema.safeParse(c.name)
    const status = clientStatusSchema.safeParse(c.status)
    if (!name.success || !status.success) {
      const issues = [
        name.success ? '' : `client_name: ${describeIssues(name.error)}`,
        status.success ? '' : `status: ${describeIssues(status.error)}`,
      ]
      skip(run, 'clients', clientId, `invalid client: ${issues.filter(Boolean).join('; ')}`)
      continue
    }
    run.clients.set(clientId, name.data)
    const apiKey = usableKey(run, clientId, c.apiKey)
    let digest = apiKey === undefined ? undefined : digestApiKey(apiKey)
    if (digest !== undefined && (await digestTaken(run, clientId, digest))) digest = undefined
    const keyToStore = digest === undefined ? undefined : apiKey
    const secret = c.sharedSecret === null || c.sharedSecret === '' ? undefined : c.sharedSecret

    const current = await loadCurrent(run, clientId)
    if (current === undefined) {
      tally(run, 'clients', 'created')
      if (run.tx === null) continue
      const [row] = await run.tx
        .insert(clients)
        .values({
          id: clientId,
          clientName: name.data,
          status: status.data,
          createdAt: dateOf(c.createdAt),
          updatedAt: dateOf(c.updatedAt),
        })
        .returning()
      await run.insertCredentials(run.tx, clientId, { apiKey: keyToStore, sharedSecret: secret, legacy: true })
      if (row) {
        const after = wireOf(row, keyToStore ? apiKeyDisplayParts(keyToStore) : undefined, secret !== undefined)
        await run.writeAudit({ action: 'client.import', entityType: 'client', entityId: clientId, after })
      }
      continue
    }

    const { row, key, secret: sealed } = current
    if (keyToStore !== undefined && key !== undefined && !key.legacy && key.apiKeyDigest !== digest) {
      run.report.problems.push({
        entity: 'clients',
        id: clientId,
        message: 'API key was rotated here since the last import; kept it (the original key was not imported)',
      })
    }
    const replaceKey = keyToStore !== undefined && key?.apiKeyDigest !== digest && (key === undefined || key.legacy)
    const replaceSecret =
      secret !== undefined && (sealed === undefined || (sealed.legacy && !sameSecret(run, clientId, sealed, secret)))
    const renamed = row.clientName !== name.data || row.status !== status.data
    if (!replaceKey && !replaceSecret && !renamed) {
      tally(run, 'clients', 'unchanged')
      continue
    }
    tally(run, 'clients', 'updated')
    const tx = run.tx
    if (tx === null) continue
    const keyParts = (k: ClientCredential | undefined) =>
      k?.apiKeyPrefix && k.apiKeyLast4 ? { prefix: k.apiKeyPrefix, last4: k.apiKeyLast4 } : undefined
    const before = wireOf(row, keyParts(key), sealed !== undefined)
    const [updated] = await tx
      .update(clients)
      .set({ clientName: name.data, status: status.data, version: sql`${clients.version} + 1` })
      .where(eq(clients.id, clientId))
      .returning()
    if (replaceKey && key !== undefined) await tx.delete(clientCredentials).where(eq(clientCredentials.id, key.id))
    if (replaceSecret && sealed !== undefined)
      await tx.delete(clientCredentials).where(eq(clientCredentials.id, sealed.id))
    await run.insertCredentials(tx, clientId, {
      apiKey: replaceKey ? keyToStore : undefined,
      sharedSecret: replaceSecret ? secret : undefined,
      legacy: true,
    })
    if (updated) {
      const newKey = replaceKey && keyToStore ? apiKeyDisplayParts(keyToStore) : keyParts(key)
      const after = wireOf(updated, newKey, secret !== undefined || sealed !== undefined)
      await run.writeAudit({ action: 'client.import_update', entityType: 'client', entityId: clientId, before, after })
    }
  }
}

/** Opens the stored secret (aad = client id) to compare; one that does not open counts as different. */
function sameSecret(run: ImportRun, clientId: string, sealed: ClientCredential, secret: string): boolean {
  if (sealed.secretSealed === null) return false
  const opened = run.sealer.unseal(sealed.secretSealed, clientId)
  return opened.ok && opened.plaintext === secret
}
