import type { Command } from 'commander'
import type { CliContext } from '../context'
import { ExitCode } from '../exit-codes'
import { loadConfigFile, printProblems } from './config-file'

type ValidateOptions = { file: string; json?: boolean }

export function registerConfigValidate(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('check a configuration file without touching the database: schema, names, references')
    .requiredOption('-f, --file <file>', 'the configuration file (YAML or JSON)')
    .option('--json', 'print {valid, problems: [{path, line, column, message}]} as JSON')
    .addHelpText(
      'after',
      `
Checks the schema (the admin API's rules), that names are unique (a route's domain + route_pattern, a
client's name, a console admin's email, no repeated YAML key), and that every permission and rate limit
names a client and route of the file, with methods the route configures. Each problem is printed as
file:line:column: path: message. Exit 0 when valid, ${ExitCode.usage} when not.

Example:
  gatekeeper validate -f gatekeeper.yaml`,
    )
    .action(async (opts: ValidateOptions) => {
      const loaded = await loadConfigFile(opts.file, ExitCode.usage)
      if (opts.json) {
        ctx.out.json(loaded.ok ? { valid: true, problems: [] } : { valid: false, problems: loaded.problems })
        if (!loaded.ok) throw loaded.fail
        return
      }
      if (!loaded.ok) {
        printProblems(ctx, opts.file, loaded.problems)
        throw loaded.fail
      }
      const doc = loaded.document
      ctx.out.success(
        `${opts.file} is valid: ${doc.routes.length} routes, ${doc.clients.length} clients, ${doc.permissions.length} permissions, ${doc.rate_limits.length} rate limits, ${doc.console_admins.length} console admins`,
      )
    })
}
