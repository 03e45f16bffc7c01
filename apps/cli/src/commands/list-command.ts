import type { AdminOps } from '@gatekeeper/db/admin'
import type { Command } from 'commander'
import type { CliContext } from '../context'
import type { ListView } from '../output'

/** `<group> list` without filters: every item, as a table or (--json) one JSON array. */
export function registerListCommand<T>(
  parent: Command,
  ctx: CliContext,
  spec: {
    description: string
    json: string
    load: (ops: AdminOps) => Promise<ReadonlyArray<T>>
    /** Built when the command runs (a view may compare with the time now). */
    view: () => ListView<T>
  },
): void {
  parent
    .command('list')
    .description(spec.description)
    .option('--json', spec.json)
    .action(async (opts: { json?: boolean }) => {
      const { ops } = await ctx.session()
      ctx.out.list(await spec.load(ops), opts, spec.view())
    })
}
