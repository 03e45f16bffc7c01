import type { AdminOps } from '@gatekeeper/db/admin'
import type { AdminTokenWire } from '@gatekeeper/models'
import { CliError } from '../../../errors'
import { pickFrom } from '../../../pickers'
import { type Removal, removeConfirmed } from '../../removal'

async function liveTokens(ops: AdminOps): Promise<AdminTokenWire[]> {
  return (await ops.tokens.list()).filter((t) => t.revoked_at === null)
}

/** A live token by id or by its (unique among live tokens) name. */
async function findLive(ops: AdminOps, given: string): Promise<AdminTokenWire> {
  const key = given.trim()
  const found = (await liveTokens(ops)).find((t) => t.token_id === key.toLowerCase() || t.name === key)
  if (found === undefined) throw CliError.notFound(`no live admin token with id or name ${given}`)
  return found
}

export const adminTokenRevoke: Removal = {
  command: ['revoke', 'revoke an admin API token at once (asks you to type "revoke")'],
  argument: ['[token]', 'token id or name (picked from a list on a terminal)'],
  json: 'print the revoked token as JSON',
  run: async (given, opts, { ctx, prompter, ops }) => {
    const id =
      given ??
      (await pickFrom(prompter, '<token>', {
        message: 'Token to revoke',
        none: 'there are no live admin tokens',
        list: () => liveTokens(ops),
        choice: (t) => ({ value: t.token_id, label: t.name, hint: `${t.scope}, ${t.token_masked}` }),
      }))
    const target = await findLive(ops, id)
    if (!opts.json) ctx.out.line(`Anything using admin token ${target.name} (${target.token_masked}) will be refused.`)
    await removeConfirmed(
      ctx,
      prompter,
      opts,
      { action: `revoke admin token ${target.name}`, word: 'revoke', question: 'Revoke this token?' },
      () => ops.tokens.revoke(ctx.actor, target.token_id),
      (revoked) => `revoked admin token ${revoked.name}`,
    )
  },
}
