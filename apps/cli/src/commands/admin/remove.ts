import { CliError } from '../../errors'
import { pickFrom } from '../../pickers'
import { type Removal, removeConfirmed } from '../removal'

export const adminRemove: Removal = {
  command: ['remove', 'remove a console admin (asks you to type "remove")'],
  argument: ['[admin]', 'admin id or email (picked from a list on a terminal)'],
  json: 'print the removed admin as JSON',
  run: async (given, opts, { ctx, prompter, ops }) => {
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
    const { admin_id } = target
    await removeConfirmed(
      ctx,
      prompter,
      opts,
      { action: `remove console admin ${target.email}`, word: 'remove', question: 'Remove this admin?' },
      () => ops.admins.remove(ctx.actor, admin_id),
      (removed) => `removed console admin ${removed.email}`,
    )
  },
}
