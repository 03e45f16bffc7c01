import { emailSchema } from '@gatekeeper/models'
import type { Command } from 'commander'
import type { CliContext } from '../../context'
import type { Json } from './shared'

export function registerAdminAdd(admin: Command, ctx: CliContext): void {
  admin
    .command('add')
    .description('allow an Aegis user (by email) into the console')
    .option('--email <email>', 'their Aegis email address')
    .option(
      '--aegis-user-id <id>',
      'their Aegis user uuid (as /api/auth/me reports it), if known; otherwise bound at their first verified sign-in',
    )
    .option('--json', 'print the admin as JSON')
    .addHelpText('after', '\nExample:\n  gatekeeper admin add --email ops@example.com')
    .action(async (opts: Json & { email?: string; aegisUserId?: string }) => {
      const prompter = ctx.prompter(opts)
      const email =
        opts.email ??
        (await prompter.text({
          message: 'Email',
          flag: '--email',
          validate: (v) => (emailSchema.safeParse(v).success ? undefined : 'expected an email address'),
        }))
      const { ops } = await ctx.session()
      const added = await ops.admins.add(ctx.actor, {
        email,
        ...(opts.aegisUserId !== undefined ? { aegis_user_id: opts.aegisUserId } : {}),
      })
      if (opts.json) return ctx.out.json(added)
      ctx.out.success(`${added.email} may now use the console (admin ${added.admin_id})`)
    })
}
