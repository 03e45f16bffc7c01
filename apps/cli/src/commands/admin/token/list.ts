import type { AdminTokenWire } from '@gatekeeper/models'
import type { Command } from 'commander'
import type { CliContext } from '../../../context'
import { formatTime } from '../../../output'
import type { Json } from '../shared'

function state(token: AdminTokenWire, nowSeconds: number): string {
  if (token.revoked_at !== null) return 'revoked'
  if (token.expires_at !== null && token.expires_at <= nowSeconds) return 'expired'
  return 'active'
}

export function registerAdminTokenList(token: Command, ctx: CliContext): void {
  token
    .command('list')
    .description('list admin API tokens (masked), with their state')
    .option('--json', 'print the tokens as a JSON array')
    .action(async (opts: Json) => {
      const { ops } = await ctx.session()
      const now = Math.floor(Date.now() / 1000)
      const time = (t: number | null, none: string) => (t === null ? none : formatTime(t))
      ctx.out.list(await ops.tokens.list(), opts, {
        empty: 'no admin tokens',
        headers: ['NAME', 'SCOPE', 'STATE', 'TOKEN', 'EXPIRES', 'LAST USED', 'TOKEN ID'],
        row: (t) => [
          t.name,
          t.scope,
          state(t, now),
          t.token_masked,
          time(t.expires_at, 'never'),
          time(t.last_used_at, '-'),
          t.token_id,
        ],
      })
    })
}
