import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { CliError } from '../../errors'
import { formatTime } from '../../output'
import { localSignInOn, mintSignInLink } from '../../sign-in-link'
import type { Json } from './shared'

export function registerAdminSignInLink(admin: Command, ctx: CliContext): void {
  admin
    .command('sign-in-link')
    .description('print a new one-time console sign-in link (local sign-in: no Aegis, or CONSOLE_LOCAL_SIGNIN=true)')
    .option('--json', 'print {url, expires_at} as JSON')
    .action(async (opts: Json) => {
      if (!localSignInOn(ctx.env)) {
        throw CliError.refused(
          'local sign-in is off because AEGIS_API_URL is set: sign in with Aegis, or set CONSOLE_LOCAL_SIGNIN=true (for console-api too)',
        )
      }
      const { ops } = await ctx.session()
      const link = await mintSignInLink(ops.tokens, ctx.env)
      const expiresAt = Math.floor(link.expiresAt.getTime() / 1000)
      if (opts.json) return ctx.out.json({ url: link.url, expires_at: expiresAt })
      ctx.out.line(link.url)
      ctx.out.note(`one-time link, valid until ${formatTime(expiresAt)}`)
    })
}
