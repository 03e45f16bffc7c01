import { ADMIN_TOKEN_SCOPES } from '@gatekeeper/models'
import type { Command } from 'commander'
import type { CliContext } from '../../../context'
import { parseDuration } from '../../../duration'
import { formatTime } from '../../../output'
import type { Json } from '../shared'

export function registerAdminTokenCreate(token: Command, ctx: CliContext): void {
  token
    .command('create')
    .description('create an admin API token (printed once; only its digest is kept)')
    .option('--name <name>', 'what the token is for; the audit log names it as the actor (e.g. ci)')
    .option('--scope <scope>', `${ADMIN_TOKEN_SCOPES.join(' or ')}: read allows GET/HEAD only`)
    .option('--expires <duration>', 'lifetime, e.g. 90d, 12h (default: never expires)')
    .option('--json', 'print the token (with its raw value) as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  gatekeeper admin token create --name ci --scope write --expires 30d\n  curl -H "Authorization: Bearer gka_..." http://127.0.0.1:7844/api/admin/routes',
    )
    .action(async (opts: Json & { name?: string; scope?: string; expires?: string }) => {
      const prompter = ctx.prompter(opts)
      const name = opts.name ?? (await prompter.text({ message: 'Token name (e.g. ci)', flag: '--name' }))
      const scope =
        opts.scope ??
        (await prompter.select<string>({
          message: 'Scope',
          flag: '--scope',
          options: [
            { value: 'read', label: 'read', hint: 'GET/HEAD only' },
            { value: 'write', label: 'write', hint: 'everything an admin may do' },
          ],
        }))
      const expiresIn = opts.expires === undefined ? null : parseDuration(opts.expires, '--expires')
      const { ops } = await ctx.session()
      const created = await ops.tokens.create(ctx.actor, { name, scope, expires_in_seconds: expiresIn }, new Date())
      if (opts.json) return ctx.out.json(created)
      ctx.out.credentials(
        `admin token ${created.name} (${created.scope})`,
        [
          ['token', created.token],
          ['expires', created.expires_at === null ? 'never' : formatTime(created.expires_at)],
        ],
        'This token is shown once. Send it as "Authorization: Bearer <token>" to /api/admin/*.',
      )
    })
}
