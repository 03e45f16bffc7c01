import type { AdminTokenWire } from '@gatekeeper/models'
import type { Command } from 'commander'
import type { CliContext } from '../../../context'
import { formatTime } from '../../../output'
import { registerListCommand } from '../../list-command'

function state(token: AdminTokenWire, nowSeconds: number): string {
  if (token.revoked_at !== null) return 'revoked'
  if (token.expires_at !== null && token.expires_at <= nowSeconds) return 'expired'
  return 'active'
}

export function registerAdminTokenList(token: Command, ctx: CliContext): void {
  registerListCommand(token, ctx, {
    description: 'list admin API tokens (masked), with their state',
    json: 'print the tokens as a JSON array',
    load: (ops) => ops.tokens.list(),
    view: () => {
      const now = Math.floor(Date.now() / 1000)
      const time = (t: number | null, none: string) => (t === null ? none : formatTime(t))
      return {
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
      }
    },
  })
}
