import { OriginalDatabaseError, refuseOriginalDatabase, runMigrations } from '@gatekeeper/db/migrate'
import type { Command } from 'commander'
import type { CliContext } from '../context'
import { databaseName, redactUrl } from '../database'
import { expectedSchema } from '../db/expectations'
import { migrationsFolder } from '../db/migrations-folder'
import { appliedMigrationCount, dropGatekeeperObjects } from '../db/reset'
import { verifyDatabase } from '../db/verify'
import { CliError } from '../errors'
import { guardDestructive } from '../prompt'

type JsonOpt = { json?: boolean }

export function registerDb(program: Command, ctx: CliContext): void {
  const db = program.command('db').description('set up, reset and check the database')

  db.command('migrate')
    .description('apply pending migrations (safe to run again; concurrent runs queue on a lock)')
    .option('--json', 'print {applied, total} as JSON')
    .action(async (opts: JsonOpt) => {
      const { target, handle } = await ctx.session()
      const folder = migrationsFolder()
      const before = await appliedMigrationCount(handle.pool)
      await runMigrations({ url: target.url }, { migrationsFolder: folder }).catch(originalToUsage)
      const total = await appliedMigrationCount(handle.pool)
      if (opts.json) return ctx.out.json({ applied: total - before, total })
      ctx.out.success(
        total === before
          ? `database is up to date (${total} migrations applied)`
          : `applied ${total - before} migration${total - before === 1 ? '' : 's'} (${total} in all)`,
      )
    })

  db.command('reset')
    .description('DESTRUCTIVE: drop every Gatekeeper table (all configuration and the audit log) and migrate afresh')
    .option('--yes', 'do not ask (required when there is no terminal, and in CI)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: JsonOpt & { yes?: boolean }) => {
      const { target, handle } = await ctx.session()
      const name = databaseName(target.url)
      const folder = migrationsFolder()
      if (!opts.yes && ctx.config.ci) throw CliError.refused('refusing to reset a database in CI without --yes')
      // Its tables share our names: a reset would drop the deployment being migrated from.
      await refuseOriginalDatabase(handle.pool).catch(originalToUsage)
      const counts = await rowCounts(handle.pool, [...expectedSchema(folder).tables.keys()])
      const summary = counts.length > 0 ? counts.map(([t, n]) => `${t}: ${n}`).join(', ') : 'no Gatekeeper tables yet'
      await guardDestructive(
        ctx.prompter(opts),
        { yes: opts.yes === true, action: `reset database ${name}` },
        name,
        `This drops every Gatekeeper table in database "${name}" (${redactUrl(target.url)}) and starts afresh.\n  Rows that would be lost: ${summary}`,
      )
      await dropGatekeeperObjects(handle.pool, folder)
      await runMigrations({ url: target.url }, { migrationsFolder: folder })
      const total = await appliedMigrationCount(handle.pool)
      if (opts.json) return ctx.out.json({ reset: true, database: name, migrations: total })
      ctx.out.success(`database ${name} reset (${total} migrations applied)`)
    })

  db.command('verify')
    .description('check tables, triggers, functions, config_state and migration state; exit 1 on any problem')
    .option('--json', 'print {ok, checks} as JSON')
    .action(async (opts: JsonOpt) => {
      const { handle } = await ctx.session()
      const checks = await verifyDatabase(handle.pool, migrationsFolder())
      const ok = checks.every((c) => c.ok)
      if (opts.json) ctx.out.json({ ok, checks })
      else {
        const { green, red } = ctx.out.style
        for (const c of checks) {
          ctx.out.line(`${c.ok ? green('✔') : red('✖')} ${c.name}`)
          for (const p of c.problems) ctx.out.line(`    ${p}`)
        }
      }
      if (!ok) {
        const count = checks.reduce((n, c) => n + c.problems.length, 0)
        throw CliError.failed(`database verification found ${count} problem${count === 1 ? '' : 's'}`)
      }
    })
}

async function rowCounts(pool: import('pg').Pool, tables: ReadonlyArray<string>): Promise<Array<[string, number]>> {
  const out: Array<[string, number]> = []
  for (const table of tables) {
    const exists = await pool.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table])
    if (exists.rows[0]?.t == null) continue
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${table}"`)
    out.push([table, Number(rows[0]?.n ?? 0)])
  }
  return out
}

/** The original system's database is the wrong target, not a failure: exit 2 with the way forward. */
function originalToUsage(err: unknown): never {
  if (err instanceof OriginalDatabaseError) throw CliError.usage(err.message)
  throw err
}
