import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { CliError } from '../../errors'
import { pickFrom } from '../../pickers'
import { guardDestructive } from '../../prompt'
import type { Json } from './shared'

export function registerAdminRemove(admin: Command, ctx: CliContext): void {
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
      let target: (typeof admins)[number] | undefined
      if (given !== undefined) {
        const key = given.trim().toLowerCase()
        target = admins.find((a) => a.admin_id === key || a.email === key)
        if (target === undefined) throw CliError.notFound(`no console admin with id or email ${given}`)
      } else {
        const id = await pickFrom(prompter, '<admin>', {
          message: 'Admin to remove',
          none: 'there are no console admins',
          list: async () => admins,
          choice: (a) => ({ value: a.admin_id, label: a.email, hint: a.source }),
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
}
