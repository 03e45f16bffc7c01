import { Command } from 'commander'
import { adminGroup } from './commands/admin'
import { registerAudit } from './commands/audit'
import { clientGroup } from './commands/client'
import { registerConfigApply } from './commands/config-apply'
import { registerConfigDiff } from './commands/config-diff'
import { registerConfigExport } from './commands/config-export'
import { registerConfigValidate } from './commands/config-validate'
import { registerDb } from './commands/db'
import { registerSubcommands } from './commands/group'
import { registerImportOriginal } from './commands/import-original'
import { permissionGroup } from './commands/permission'
import { rateLimitGroup } from './commands/rate-limit'
import { routeGroup } from './commands/route'
import { registerSecrets } from './commands/secrets'
import { registerSetupTestData } from './commands/setup-test-data'
import { registerSign } from './commands/sign'
import { registerStart } from './commands/start-command'
import type { CliContext } from './context'
import { ExitCode } from './exit-codes'
import type { OutputStream, Streams } from './output'

const CLI_VERSION = '0.1.0'

/** The terminal's width; not a terminal: undefined, which commander (typed as number) takes as 80 columns. */
function terminalWidth(stream: OutputStream): number {
  return (stream.isTTY ? stream.columns : undefined) as number
}

/**
 * The whole command tree. Errors are not handled here: commander's own (unknown option, missing
 * argument) throw a CommanderError after printing one line, everything else propagates to main.
 */
export function buildProgram(ctx: CliContext, streams: Streams): Command {
  const program = new Command()
    .name('gatekeeper')
    .description('Manage Gatekeeper: routes, clients, permissions, rate limits, console admins, the database')
    .version(CLI_VERSION)
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({
      writeOut: (text) => streams.stdout.write(text),
      writeErr: (text) => streams.stderr.write(text),
      // Help wraps to the terminal it is written to (commander's default reads process.stdout instead).
      getOutHelpWidth: () => terminalWidth(streams.stdout),
      getErrHelpWidth: () => terminalWidth(streams.stderr),
      // commander's own errors (unknown option, missing argument) in the same one-line form as ours.
      outputError: (text, write) => write(`gatekeeper: ${text.replace(/^error: /, '')}`),
    })
    .addHelpText(
      'after',
      `
Run a command without its arguments on a terminal to be asked for them; with flags (and --json) every
command runs unattended. Exit codes: ${ExitCode.ok} ok, ${ExitCode.error} error, ${ExitCode.usage} usage or invalid input, ${ExitCode.notFound} not found,
${ExitCode.conflict} conflict, ${ExitCode.refused} refused or aborted, ${ExitCode.unavailable} cannot connect.

Database: DATABASE_URL (or the original's POSTGRES_HOST/API_AUTH_ADMIN_PG_* variables), else the embedded
database of a running \`pnpm start\`. Master key: GATEKEEPER_MASTER_KEY, else <data dir>/master.key.`,
    )

  // The order here is the order `--help` lists the commands in.
  registerSubcommands(program, ctx, [
    routeGroup,
    clientGroup,
    permissionGroup,
    rateLimitGroup,
    adminGroup,
    registerAudit,
    registerDb,
    registerSetupTestData,
    registerSecrets,
    registerSign,
    registerImportOriginal,
    registerConfigExport,
    registerConfigValidate,
    registerConfigDiff,
    registerConfigApply,
    registerStart,
  ])
  return program
}
