import type { Command } from 'commander'
import type { CliContext } from '../context'

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
      await startAll(ctx.env, { dataDir: opts.dataDir, embeddedPort: Number(opts.embeddedPort) })
    })
}
