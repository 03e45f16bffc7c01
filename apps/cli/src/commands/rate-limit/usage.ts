import type { RateLimitUsageWire } from '@gatekeeper/models'
import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { CliError } from '../../errors'
import { findRateLimit } from '../../lookups'
import { pickClient } from '../../pickers'
import { limitText } from '../../render'
import type { Json } from './shared'

export function registerRateLimitUsage(rateLimit: Command, ctx: CliContext): void {
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
