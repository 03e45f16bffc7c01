#!/usr/bin/env node
import { Command } from 'commander'
import { startAll } from './commands/start.js'

const program = new Command()
  .name('gatekeeper')
  .description('Manage Gatekeeper: routes, clients, permissions, rate limits, and the stack itself')

program
  .command('start')
  .description('start authz and console-api (embedded PostgreSQL unless DATABASE_URL is set)')
  .option('--data-dir <dir>', 'where the embedded database and dev master key live', process.env.GATEKEEPER_DATA_DIR ?? '.gatekeeper')
  .option('--embedded-port <port>', 'port of the embedded PostgreSQL server', process.env.GATEKEEPER_EMBEDDED_PG_PORT ?? '7845')
  .action(async (opts: { dataDir: string; embeddedPort: string }) => {
    await startAll(process.env, { dataDir: opts.dataDir, embeddedPort: Number(opts.embeddedPort) })
  })

await program.parseAsync(process.argv)
