import type { ClientUsageWire } from '@gatekeeper/models'
import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { CliError } from '../../errors'
import { formatTime, type Output } from '../../output'
import { pickClient } from '../../pickers'
import type { Json } from './shared'

export function registerClientUsage(client: Command, ctx: CliContext): void {
  client
    .command('usage')
    .description("a client's decision counts: allowed, refused (by reason) and rate limited, per hour or per day")
    .argument('[client]', 'the client: id or name (picked from a list on a terminal)')
    .option('--window <window>', '24h (24 hourly rows) or 30d (30 daily rows, UTC)', '24h')
    .option('--all', 'print every row, also those with no requests')
    .option('--json', 'print the usage answer of the admin API as JSON')
    .addHelpText(
      'after',
      '\nCounted by authz and written every AUTHZ_USAGE_FLUSH_INTERVAL_MS (60 s by default): the last minute may be missing.\n' +
        '\nExamples:\n  gatekeeper client usage "Mobile App"\n  gatekeeper client usage "Mobile App" --window 30d --json',
    )
    .action(async (id: string | undefined, opts: Json & { window: string; all?: boolean }) => {
      const window = opts.window.trim()
      if (window !== '24h' && window !== '30d') throw CliError.usage(`--window: "${opts.window}" is not 24h or 30d`)
      const { ops } = await ctx.session()
      const clientId = await pickClient(ops, ctx.prompter(opts), id, '<client_id>')
      const usage = await ops.clients.usage(clientId, { window })
      if (opts.json) return ctx.out.json(usage)
      printUsage(ctx.out, usage, opts.all === true)
    })
}

function printUsage(out: Output, usage: ClientUsageWire, all: boolean): void {
  const rows = usage.buckets.filter((b) => all || b.allowed + b.refused + b.rate_limited > 0)
  const reasons = (r: Record<string, number>) =>
    Object.entries(r)
      .sort((a, b) => b[1] - a[1])
      .map(([reason, n]) => `${reason} ${n}`)
      .join(', ')
  if (rows.length === 0) {
    out.line(`no requests in the last ${usage.window}`)
  } else {
    out.table(
      [
        usage.bucket_seconds === 3600 ? 'HOUR (UTC)' : 'DAY (UTC)',
        'ALLOWED',
        'REFUSED',
        'RATE LIMITED',
        'REFUSED BY REASON',
      ],
      rows.map((b) => [
        usage.bucket_seconds === 3600 ? formatTime(b.start) : formatTime(b.start).slice(0, 10),
        String(b.allowed),
        String(b.refused),
        String(b.rate_limited),
        reasons(b.refused_by_reason) || '-',
      ]),
    )
  }
  out.line()
  out.fields([
    ['Window', usage.window],
    ['Allowed', String(usage.totals.allowed)],
    ['Refused', String(usage.totals.refused)],
    ['Rate limited', String(usage.totals.rate_limited)],
  ])
}
