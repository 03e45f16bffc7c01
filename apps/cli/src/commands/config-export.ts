import { writeFile } from 'node:fs/promises'
import { readLiveConfig, serializeConfig } from '@gatekeeper/db/config-as-code'
import type { Command } from 'commander'
import type { CliContext } from '../context'
import { CliError } from '../errors'

type ExportOptions = { output?: string; format?: string }

function formatOf(opts: ExportOptions): 'yaml' | 'json' {
  const format = opts.format ?? (opts.output?.toLowerCase().endsWith('.json') ? 'json' : 'yaml')
  if (format !== 'yaml' && format !== 'json') throw CliError.usage(`--format: expected yaml or json, got "${format}"`)
  return format
}

export function registerConfigExport(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .description('write the live configuration as a file (routes, clients, permissions, rate limits, console admins)')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--format <format>', 'yaml or json (default: json for a .json output file, else yaml)')
    .addHelpText(
      'after',
      `
The same state always gives the same bytes, so an export kept in git changes only when the configuration
does. No secret is written: credentials appear by kind, id and API key prefix. See docs/config-as-code.md.

Example:
  gatekeeper export -o gatekeeper.yaml`,
    )
    .action(async (opts: ExportOptions) => {
      const format = formatOf(opts)
      const { handle } = await ctx.session()
      const live = await readLiveConfig(handle.db)
      if (live.duplicateClientNames.length > 0) {
        ctx.out.warn(
          `several clients share the name ${live.duplicateClientNames.map((n) => JSON.stringify(n)).join(', ')}: the file keys clients by name, so validate and diff will refuse it until they are renamed (gatekeeper client update <id> --name ...)`,
        )
      }
      const text = serializeConfig(live.document, format)
      if (opts.output === undefined) {
        ctx.out.line(text.replace(/\n$/, ''))
        return
      }
      try {
        await writeFile(opts.output, text)
      } catch (err) {
        throw CliError.failed(`cannot write ${opts.output}: ${(err as Error).message}`)
      }
      const doc = live.document
      ctx.out.note(
        `wrote ${opts.output}: ${doc.routes.length} routes, ${doc.clients.length} clients, ${doc.permissions.length} permissions, ${doc.rate_limits.length} rate limits, ${doc.console_admins.length} console admins`,
      )
    })
}
