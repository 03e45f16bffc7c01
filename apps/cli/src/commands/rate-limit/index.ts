import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { registerRemoval } from '../removal'
import { rateLimitClear } from './clear'
import { registerRateLimitList } from './list'
import { registerRateLimitSet } from './set'
import { registerRateLimitUsage } from './usage'

/** `gatekeeper rate-limit …`: one module per subcommand; the order here is the order `--help` lists them in. */
export function registerRateLimit(program: Command, ctx: CliContext): void {
  const rateLimit = program
    .command('rate-limit')
    .description('per-client request limits (rolling windows) and their current usage')
  registerRateLimitSet(rateLimit, ctx)
  registerRateLimitList(rateLimit, ctx)
  registerRemoval(rateLimit, ctx, rateLimitClear)
  registerRateLimitUsage(rateLimit, ctx)
}
