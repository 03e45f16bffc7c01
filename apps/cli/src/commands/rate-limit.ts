import type { RateLimitUsageWire } from '@gatekeeper/models'
import type { Command } from 'commander'
import type { CliContext } from '../context'
import { CliError } from '../errors'
import { findRateLimit } from '../lookups'
import { pickClient } from '../pickers'
import { limitText } from '../render'
import { parseCount } from './options'

type Json = { json?: boolean }

/** `N` sets the window, `none` makes it unlimited, absent keeps it. */
function limitValue(text: string | undefined, flag: string, max: number): number | null | undefined {
  if (text === undefined) return undefined
  if (/^(none|unlimited|off)$/i.test(text.trim())) return null
  return parseCount(text.trim(), flag, max)
}

export function registerRateLimit(program: Command, ctx: CliContext): void {
  const rateLimit = program
    .command('rate-limit')
    .description('per-client request limits (rolling windows) and their current usage')

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
      const limit = await ops.rateLimits.set(ctx.actor, clientId, body)
      if (opts.json) return ctx.out.json(limit)
      ctx.out.success(`${limit.client_name}: ${limitText(limit)}`)
    })

  rateLimit
    .command('list')
    .description('list clients with rate limits')
    .option('--json', 'print the rate limits as a JSON array')
    .action(async (opts: Json) => {
      const { ops } = await ctx.session()
      const limits = await ops.rateLimits.list()
      if (opts.json) return ctx.out.json(limits)
      if (limits.length === 0) return ctx.out.line('no rate limits (clients are unlimited)')
      ctx.out.table(
        ['CLIENT', 'PER MINUTE', 'PER DAY', 'CLIENT ID'],
        limits.map((l) => [
          l.client_name,
          l.requests_per_minute === null ? '-' : String(l.requests_per_minute),
          l.requests_per_day === null ? '-' : String(l.requests_per_day),
          l.client_id,
        ]),
      )
    })

  rateLimit
    .command('clear')
    .description("remove a client's limits (it becomes unlimited)")
    .argument('[client]', 'the client: id or name (picked from a list on a terminal)')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print the removed rate limit as JSON')
    .action(async (id: string | undefined, opts: Json & { yes?: boolean }) => {
      const prompter = ctx.prompter(opts)
      const { ops } = await ctx.session()
      const clientId = await pickClient(ops, prompter, id, '<client_id>')
      const current = await ops.rateLimits.get(clientId)
      if (!opts.json)
        ctx.out.line(`${current.client_name} is limited to ${limitText(current)}; clearing makes it unlimited.`)
      if (!opts.yes) {
        if (!prompter.interactive)
          throw CliError.refused(`refusing to clear the rate limit of ${clientId} without confirmation: pass --yes`)
        await prompter.confirm('Clear this rate limit?')
      }
      const cleared = await ops.rateLimits.clear(ctx.actor, clientId)
      if (opts.json) return ctx.out.json(cleared)
      ctx.out.success(`${cleared.client_name} is no longer rate limited`)
    })

  rateLimit
    .command('usage')
    .description("requests counted against a client's limits right now (reads Redis)")
    .argument('[client]', 'the client: id or name (picked from a list on a terminal)')
    .option('--json', 'print {client_id, used_day, remaining_day, used_minute, remaining_minute} as JSON')
    .action(async (id: string | undefined, opts: Json) => {
      const { ops } = await ctx.session()
      const clientId = await pickClient(ops, ctx.prompter(opts), id, '<client_id>')
      const client = await ops.clients.get(clientId)
      const limit = await findRateLimit(ops, clientId)
      const redisUrl = ctx.config.redisUrl
      if (redisUrl === undefined) {
        throw CliError.failed(
          'no Redis configured (REDIS_URL or REDIS_HOST): without Redis each authz counts in its own memory, which the CLI cannot read',
        )
      }
      // Loaded here only: ioredis is of no use to any other command.
      const { createRedisAdmissionStore, redactRedisUrl } = await import('@gatekeeper/limits')
      const store = createRedisAdmissionStore({
        url: redisUrl,
        timeoutMs: 2000,
        rateLimitFailureMode: 'closed',
        nonceFailureMode: 'closed',
      })
      try {
        if (!(await store.ready(3000)))
          throw CliError.unavailable(`cannot connect to Redis at ${redactRedisUrl(redisUrl)}`)
        const usage = await store.usage(clientId, {
          perDay: limit?.requests_per_day ?? null,
          perMinute: limit?.requests_per_minute ?? null,
        })
        const wire: RateLimitUsageWire = {
          client_id: clientId,
          used_day: usage.usedDay,
          remaining_day: usage.remainingDay,
          used_minute: usage.usedMinute,
          remaining_minute: usage.remainingMinute,
        }
        if (opts.json) return ctx.out.json(wire)
        ctx.out.line(`${client.client_name}${limit ? ` (limit ${limitText(limit)})` : ' (no limit)'}`)
        ctx.out.fields([
          [
            'Last minute',
            `${wire.used_minute} used${wire.remaining_minute == null ? '' : `, ${wire.remaining_minute} left`}`,
          ],
          [
            'Last 24 hours',
            `${wire.used_day} used${wire.remaining_day === null ? '' : `, ${wire.remaining_day} left`}`,
          ],
        ])
      } finally {
        await store.close()
      }
    })
}
