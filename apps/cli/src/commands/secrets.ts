import { inTransaction, lockConfigWriters, writeAudit } from '@gatekeeper/db/admin'
import { clientCredentials } from '@gatekeeper/db/schema'
import type { Command } from 'commander'
import { and, eq, ne } from 'drizzle-orm'
import type { CliContext } from '../context'
import { CliError } from '../errors'

type ResealResult = { resealed: number; active_key_id: string }

/**
 * Master-key rotation, last step: every shared secret still sealed under a previous key is opened
 * and sealed again under the active one, in one transaction (the change feed tells authz, which needs
 * the new key active and the old one in GATEKEEPER_PREVIOUS_MASTER_KEYS while this runs). Afterwards
 * the previous key can be dropped from every app's environment.
 */
export function registerSecrets(program: Command, ctx: CliContext): void {
  const secrets = program.command('secrets').description('sealed shared secrets at rest')
  secrets
    .command('reseal')
    .description('re-seal every shared secret under the active master key (after rotating GATEKEEPER_MASTER_KEY)')
    .option('--json', 'print {resealed, active_key_id} as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { handle, sealer } = await ctx.session()
      const active = sealer.activeKeyId
      const result = await inTransaction(handle.db, async (tx): Promise<ResealResult> => {
        await lockConfigWriters(tx)
        const stale = await tx
          .select({
            id: clientCredentials.id,
            clientId: clientCredentials.clientId,
            sealed: clientCredentials.secretSealed,
          })
          .from(clientCredentials)
          .where(and(eq(clientCredentials.kind, 'shared_secret'), ne(clientCredentials.secretKeyId, active)))
        for (const row of stale) {
          if (row.sealed === null) continue
          const opened = sealer.unseal(row.sealed, row.clientId)
          if (!opened.ok) {
            throw CliError.usage(
              `cannot open the secret of client ${row.clientId} (${opened.reason}): put the key it was sealed with (id ${sealer.keyIdOf(row.sealed) ?? '?'}) in GATEKEEPER_PREVIOUS_MASTER_KEYS`,
            )
          }
          await tx
            .update(clientCredentials)
            .set({ secretSealed: sealer.seal(opened.plaintext, row.clientId), secretKeyId: active })
            .where(eq(clientCredentials.id, row.id))
          await writeAudit(tx, ctx.actor, {
            action: 'client.reseal_shared_secret',
            entityType: 'client',
            entityId: row.clientId,
          })
        }
        return { resealed: stale.length, active_key_id: active }
      })
      if (opts.json) return ctx.out.json(result)
      ctx.out.success(`re-sealed ${result.resealed} shared secret(s) under master key ${result.active_key_id}`)
    })
}
