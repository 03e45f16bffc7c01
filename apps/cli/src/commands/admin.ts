import { type ConsoleAdminWire, emailSchema } from '@gatekeeper/models'
import type { Command } from 'commander'
import type { CliContext } from '../context'
import { CliError } from '../errors'
import { formatTime } from '../output'
import { guardDestructive, missingFlag } from '../prompt'
import { registerAdminToken } from './admin-token'

type Json = { json?: boolean }

export function registerAdmin(program: Command, ctx: CliContext): void {
  const admin = program
    .command('admin')
    .description('who may use the console and the admin API: Aegis users, admin API tokens, sign-in links')

  admin
    .command('add')
    .description('allow an Aegis user (by email) into the console')
    .option('--email <email>', 'their Aegis email address')
    .option('--aegis-user-id <id>', 'their Aegis user id, if known (otherwise bound on first sign-in)')
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

  admin
    .command('list')
    .description('list console admins')
    .option('--json', 'print the admins as a JSON array')
    .action(async (opts: Json) => {
      const { ops } = await ctx.session()
      const admins = await ops.admins.list()
      if (opts.json) return ctx.out.json(admins)
      if (admins.length === 0) return ctx.out.line('no console admins')
      ctx.out.table(
        ['EMAIL', 'SOURCE', 'AEGIS USER', 'ADDED', 'ADMIN ID'],
        admins.map((a) => [a.email, a.source, a.aegis_user_id ?? '-', formatTime(a.created_at), a.admin_id]),
      )
    })

  admin
    .command('remove')
    .description('remove a console admin (asks you to type "remove")')
    .argument('[admin]', 'admin id or email (picked from a list on a terminal)')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print the removed admin as JSON')
    .action(async (given: string | undefined, opts: Json & { yes?: boolean }) => {
      const prompter = ctx.prompter(opts)
      const { ops } = await ctx.session()
      const admins = await ops.admins.list()
      let target: ConsoleAdminWire | undefined
      if (given !== undefined) {
        const key = given.trim().toLowerCase()
        target = admins.find((a) => a.admin_id === key || a.email === key)
        if (target === undefined) throw CliError.notFound(`no console admin with id or email ${given}`)
      } else {
        if (!prompter.interactive) throw missingFlag('<admin>')
        if (admins.length === 0) throw CliError.notFound('there are no console admins')
        const id = await prompter.select<string>({
          message: 'Admin to remove',
          flag: '<admin>',
          options: admins.map((a) => ({ value: a.admin_id, label: a.email, hint: a.source })),
        })
        target = admins.find((a) => a.admin_id === id)
      }
      if (target === undefined) throw CliError.notFound('console admin not found')
      if (!opts.json) ctx.out.line(`${target.email} will no longer be able to use the console.`)
      await guardDestructive(
        prompter,
        { yes: opts.yes === true, action: `remove console admin ${target.email}` },
        'remove',
        'Remove this admin?',
      )
      const removed = await ops.admins.remove(ctx.actor, target.admin_id)
      if (opts.json) return ctx.out.json(removed)
      ctx.out.success(`removed console admin ${removed.email}`)
    })

  registerAdminToken(admin, ctx)
}
