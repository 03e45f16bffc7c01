import type { Command } from 'commander'
import type { CliContext } from '../context'
import { packageManagerInvocation } from '../invocation'
import { shellQuote } from '../shell'

export function registerStart(program: Command, ctx: CliContext): void {
  program
    .command('start')
    .description('start authz and console-api (embedded PostgreSQL unless DATABASE_URL is set)')
    .option('--data-dir <dir>', 'where the embedded database and dev master key live', ctx.config.dataDir)
    .option(
      '--embedded-port <port>',
      'port of the embedded PostgreSQL server',
      ctx.env.GATEKEEPER_EMBEDDED_PG_PORT ?? '7845',
    )
    .action(async (opts: { dataDir: string; embeddedPort: string }) => {
      // Loaded on demand: it brings PGlite along, which no other command needs.
      const { startAll } = await import('./start')
      await startAll(ctx.env, {
        dataDir: opts.dataDir,
        embeddedPort: Number(opts.embeddedPort),
        cli: cliInvocation(ctx, opts.dataDir),
      })
    })
}

/**
 * How to run the CLI in another terminal so it finds this start's embedded database: as the package manager
 * that ran `start` runs it (`pnpm gatekeeper`, or the npx form), and with GATEKEEPER_DATA_DIR when --data-dir
 * moved the data elsewhere.
 */
function cliInvocation(ctx: CliContext, dataDir: string): string {
  const self = packageManagerInvocation(ctx.env) ?? ctx.self
  return dataDir === ctx.config.dataDir ? self : `GATEKEEPER_DATA_DIR=${shellQuote(dataDir)} ${self}`
}
