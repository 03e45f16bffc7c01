import type { CommandGroup } from '../group'
import { rateLimitClear } from './clear'
import { registerRateLimitList } from './list'
import { registerRateLimitSet } from './set'
import { registerRateLimitUsage } from './usage'

export const rateLimitGroup: CommandGroup = {
  name: 'rate-limit',
  description: 'per-client request limits (rolling windows) and their current usage',
  subcommands: [registerRateLimitSet, registerRateLimitList, rateLimitClear, registerRateLimitUsage],
}
