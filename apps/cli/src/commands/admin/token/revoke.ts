import type { AdminOps } from '@gatekeeper/db/admin'
import type { AdminTokenWire } from '@gatekeeper/models'
import type { Command } from 'commander'
import type { CliContext } from '../../../context'
import { CliError } from '../../../errors'
import { pickFrom } from '../../../pickers'
import { guardDestructive } from '../../../prompt'
import type { Json } from '../shared'

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

export function registerAdminTokenRevoke(token: Command, ctx: CliContext): void {
  token
    .command('revoke')
    .description('revoke an admin API token at once (asks you to type "revoke")')
    .argument('[token]', 'token id or name (picked from a list on a terminal)')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print the revoked token as JSON')
    .action(async (given: string | undefined, opts: Json & { yes?: boolean }) => {
      const prompter = ctx.prompter(opts)
      const { ops } = await ctx.session()
      const id =
        given ??
        (await pickFrom(prompter, '<token>', {
          message: 'Token to revoke',
          none: 'there are no live admin tokens',
          list: () => liveTokens(ops),
          choice: (t) => ({ value: t.token_id, label: t.name, hint: `${t.scope}, ${t.token_masked}` }),
        }))
      const target = await findLive(ops, id)
      if (!opts.json)
        ctx.out.line(`Anything using admin token ${target.name} (${target.token_masked}) will be refused.`)
      await guardDestructive(
        prompter,
        { yes: opts.yes === true, action: `revoke admin token ${target.name}` },
        'revoke',
        'Revoke this token?',
      )
      const revoked = await ops.tokens.revoke(ctx.actor, target.token_id)
      if (opts.json) return ctx.out.json(revoked)
      ctx.out.success(`revoked admin token ${revoked.name}`)
    })
}
