import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { parseDuration, parseExpiry } from '../../duration'
import { formatTime } from '../../output'
import { pickClient } from '../../pickers'
import { guardDestructive } from '../../prompt'
import { printCredentials } from './print'
import { EXPIRES_HELP, type Json, nowSeconds } from './shared'

type RotateOpts = Json & { credential?: string; grace: string; yes?: boolean; expires?: string }

export function registerClientRotate(client: Command, ctx: CliContext): void {
  client
    .command('rotate')
    .description('replace a credential and print the new one (once)')
    .argument('[client]', 'the client: id or name (picked from a list on a terminal)')
    .option('--credential <kind>', 'api_key or shared_secret')
    .option('--grace <duration>', 'keep the old credential working this long (e.g. 3600, 15m, 24h, 7d; max 30d)', '0')
    .option('--expires <when>', `the new credential stops working then: ${EXPIRES_HELP}`)
    .option('--yes', 'do not ask for confirmation when the old credential stops working at once')
    .option('--json', 'print {client, api_key|shared_secret, previous_expires_at} as JSON')
    .action(async (id: string | undefined, opts: RotateOpts) => {
      const prompter = ctx.prompter(opts)
      const grace = parseDuration(opts.grace, '--grace')
      const expiresAt = opts.expires === undefined ? undefined : parseExpiry(opts.expires, '--expires', nowSeconds())
      const { ops } = await ctx.session()
      const clientId = await pickClient(ops, prompter, id, '<client_id>')
      const current = await ops.clients.get(clientId)
      const credential =
        opts.credential ??
        (await prompter.select<string>({
          message: 'Credential to rotate',
          flag: '--credential',
          options: [
            { value: 'api_key', label: 'API key', hint: current.api_key_masked ?? 'none yet' },
            { value: 'shared_secret', label: 'Shared secret', hint: current.has_shared_secret ? 'set' : 'none yet' },
          ],
        }))
      if (grace === 0) {
        if (!opts.json)
          ctx.out.line(
            `The current ${credential} of ${current.client_name} stops working immediately (use --grace to overlap).`,
          )
        await guardDestructive(
          prompter,
          { yes: opts.yes === true, action: `rotate the ${credential} of client ${clientId} with no grace period` },
          'rotate',
          'Rotate now?',
        )
      }
      const rotated = await ops.clients.rotate(ctx.actor, clientId, {
        credential,
        grace_seconds: grace,
        ...(expiresAt !== undefined ? { expires_at: expiresAt } : {}),
      })
      if (opts.json) return ctx.out.json(rotated)
      ctx.out.success(`rotated the ${credential} of ${rotated.client.client_name}`)
      if (rotated.previous_expires_at !== null)
        ctx.out.line(`The previous one keeps working until ${formatTime(rotated.previous_expires_at)}.`)
      const newExpiry =
        credential === 'api_key' ? rotated.client.api_key_expires_at : rotated.client.shared_secret_expires_at
      if (newExpiry != null) ctx.out.line(`The new one expires at ${formatTime(newExpiry)}.`)
      printCredentials(ctx.out, rotated.client.client_name, rotated.client.client_id, rotated)
    })
}
