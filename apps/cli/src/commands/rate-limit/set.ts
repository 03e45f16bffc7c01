import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { CliError } from '../../errors'
import { findRateLimit } from '../../lookups'
import { pickClient } from '../../pickers'
import { limitText } from '../../render'
import { shellQuote } from '../../shell'
import { type Json, limitValue } from './shared'

export function registerRateLimitSet(rateLimit: Command, ctx: CliContext): void {
  rateLimit
    .command('set')
    .description("set a client's limits; a window not given keeps its value")
    .argument('[client]', 'the client: id or name (picked from a list on a terminal)')
    .option('--per-day <n>', 'requests per rolling 24 hours, or "none"')
    .option('--per-minute <n>', 'requests per rolling minute, or "none"')
    .option('--json', 'print the rate limit as JSON')
    .addHelpText('after', '\nExample:\n  gatekeeper rate-limit set <client_id> --per-day 10000 --per-minute 100')
    .action(async (id: string | undefined, opts: Json & { perDay?: string; perMinute?: string }) => {
      const prompter = ctx.prompter(opts)
      const { ops } = await ctx.session()
      const clientId = await pickClient(ops, prompter, id, '<client_id>')
      let perDay = limitValue(opts.perDay, '--per-day', 1_000_000_000)
      let perMinute = limitValue(opts.perMinute, '--per-minute', 10_000_000)
      if (perDay === undefined && perMinute === undefined) {
        if (!prompter.interactive)
          throw CliError.usage('missing --per-day and/or --per-minute (no terminal to ask on; see --help)')
        const current = await findRateLimit(ops, clientId)
        const ask = async (message: string, flag: string, initial: number | null | undefined, max: number) =>
          limitValue(
            await prompter.text({
              message,
              flag,
              initial: initial === null || initial === undefined ? 'none' : String(initial),
              validate: (v) => (/^(none|\d+)$/i.test(v.trim()) ? undefined : 'a whole number, or none'),
            }),
            flag,
            max,
          )
        perDay = await ask('Requests per day (none = unlimited)', '--per-day', current?.requests_per_day, 1_000_000_000)
        perMinute = await ask(
          'Requests per minute (none = unlimited)',
          '--per-minute',
          current?.requests_per_minute,
          10_000_000,
        )
      }
      // A window not given keeps its value; sent along, so `--per-minute none` on a client with a daily
      // limit reads as "day as before, minute unlimited" (the schema wants one limited window per body).
      const current = await findRateLimit(ops, clientId)
      const body = {
        requests_per_day: perDay === undefined ? (current?.requests_per_day ?? null) : perDay,
        requests_per_minute: perMinute === undefined ? (current?.requests_per_minute ?? null) : perMinute,
      }
      if (body.requests_per_day === null && body.requests_per_minute === null) {
        // The schema's own words name wire fields, and `clear` is what the user is after.
        throw CliError.usage(
          `that would leave no limit at all: to remove the client's rate limit, run \`gatekeeper rate-limit clear ${shellQuote(id ?? clientId)}\``,
        )
      }
      const limit = await ops.rateLimits.set(ctx.actor, clientId, body)
      if (opts.json) return ctx.out.json(limit)
      ctx.out.success(`${limit.client_name}: ${limitText(limit)}`)
    })
}
