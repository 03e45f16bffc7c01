import type { Actor, AdminOps } from '@gatekeeper/db/admin'
import { ADMIN_TOKEN_SCOPES, type AdminTokenWire } from '@gatekeeper/models'
import type { Command } from 'commander'
import type { CliContext } from '../context'
import { parseDuration } from '../duration'
import { CliError } from '../errors'
import { formatTime } from '../output'
import { guardDestructive, missingFlag } from '../prompt'
import { localSignInOn, mintSignInLink } from '../sign-in-link'

type Json = { json?: boolean }

function state(token: AdminTokenWire, nowSeconds: number): string {
  if (token.revoked_at !== null) return 'revoked'
  if (token.expires_at !== null && token.expires_at <= nowSeconds) return 'expired'
  return 'active'
}

/** A live token by id or by its (unique among live tokens) name. */
async function findLive(ops: AdminOps, given: string): Promise<AdminTokenWire> {
  const live = (await ops.tokens.list()).filter((t) => t.revoked_at === null)
  const key = given.trim()
  const found = live.find((t) => t.token_id === key.toLowerCase() || t.name === key)
  if (found === undefined) throw CliError.notFound(`no live admin token with id or name ${given}`)
  return found
}

async function revokeToken(ctx: CliContext, actor: Actor, given: string | undefined, opts: Json & { yes?: boolean }) {
  const prompter = ctx.prompter(opts)
  const { ops } = await ctx.session()
  let target: AdminTokenWire
  if (given !== undefined) {
    target = await findLive(ops, given)
  } else {
    if (!prompter.interactive) throw missingFlag('<token>')
    const live = (await ops.tokens.list()).filter((t) => t.revoked_at === null)
    if (live.length === 0) throw CliError.notFound('there are no live admin tokens')
    const id = await prompter.select<string>({
      message: 'Token to revoke',
      flag: '<token>',
      options: live.map((t) => ({ value: t.token_id, label: t.name, hint: `${t.scope}, ${t.token_masked}` })),
    })
    target = await findLive(ops, id)
  }
  if (!opts.json) ctx.out.line(`Anything using admin token ${target.name} (${target.token_masked}) will be refused.`)
  await guardDestructive(
    prompter,
    { yes: opts.yes === true, action: `revoke admin token ${target.name}` },
    'revoke',
    'Revoke this token?',
  )
  const revoked = await ops.tokens.revoke(actor, target.token_id)
  if (opts.json) return ctx.out.json(revoked)
  ctx.out.success(`revoked admin token ${revoked.name}`)
}

export function registerAdminToken(admin: Command, ctx: CliContext): void {
  const token = admin
    .command('token')
    .description('admin API tokens: bearer tokens for /api/admin/* (automation, CI), with or without Aegis')

  token
    .command('create')
    .description('create an admin API token (printed once; only its digest is kept)')
    .option('--name <name>', 'what the token is for; the audit log names it as the actor (e.g. ci)')
    .option('--scope <scope>', `${ADMIN_TOKEN_SCOPES.join(' or ')}: read allows GET/HEAD only`)
    .option('--expires <duration>', 'lifetime, e.g. 90d, 12h (default: never expires)')
    .option('--json', 'print the token (with its raw value) as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  gatekeeper admin token create --name ci --scope write --expires 30d\n  curl -H "Authorization: Bearer gka_..." http://127.0.0.1:7844/api/admin/routes',
    )
    .action(async (opts: Json & { name?: string; scope?: string; expires?: string }) => {
      const prompter = ctx.prompter(opts)
      const name = opts.name ?? (await prompter.text({ message: 'Token name (e.g. ci)', flag: '--name' }))
      const scope =
        opts.scope ??
        (await prompter.select<string>({
          message: 'Scope',
          flag: '--scope',
          options: [
            { value: 'read', label: 'read', hint: 'GET/HEAD only' },
            { value: 'write', label: 'write', hint: 'everything an admin may do' },
          ],
        }))
      const expiresIn = opts.expires === undefined ? null : parseDuration(opts.expires, '--expires')
      const { ops } = await ctx.session()
      const created = await ops.tokens.create(ctx.actor, { name, scope, expires_in_seconds: expiresIn }, new Date())
      if (opts.json) return ctx.out.json(created)
      ctx.out.credentials(
        `admin token ${created.name} (${created.scope})`,
        [
          ['token', created.token],
          ['expires', created.expires_at === null ? 'never' : formatTime(created.expires_at)],
        ],
        'This token is shown once. Send it as "Authorization: Bearer <token>" to /api/admin/*.',
      )
    })

  token
    .command('list')
    .description('list admin API tokens (masked), with their state')
    .option('--json', 'print the tokens as a JSON array')
    .action(async (opts: Json) => {
      const { ops } = await ctx.session()
      const tokens = await ops.tokens.list()
      if (opts.json) return ctx.out.json(tokens)
      if (tokens.length === 0) return ctx.out.line('no admin tokens')
      const now = Math.floor(Date.now() / 1000)
      const time = (t: number | null, none: string) => (t === null ? none : formatTime(t))
      ctx.out.table(
        ['NAME', 'SCOPE', 'STATE', 'TOKEN', 'EXPIRES', 'LAST USED', 'TOKEN ID'],
        tokens.map((t) => [
          t.name,
          t.scope,
          state(t, now),
          t.token_masked,
          time(t.expires_at, 'never'),
          time(t.last_used_at, '-'),
          t.token_id,
        ]),
      )
    })

  token
    .command('revoke')
    .description('revoke an admin API token at once (asks you to type "revoke")')
    .argument('[token]', 'token id or name (picked from a list on a terminal)')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print the revoked token as JSON')
    .action((given: string | undefined, opts: Json & { yes?: boolean }) => revokeToken(ctx, ctx.actor, given, opts))

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
