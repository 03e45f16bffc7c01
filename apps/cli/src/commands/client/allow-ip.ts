import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { CliError } from '../../errors'
import { pickClient } from '../../pickers'
import { findCredential, type Json, splitIps } from './shared'

export function registerClientAllowIp(client: Command, ctx: CliContext): void {
  client
    .command('allow-ip')
    .description("set or clear the IP addresses / CIDRs a client's credentials (or one of them) are accepted from")
    .argument('[client]', 'the client: id or name (picked from a list on a terminal)')
    .option('--set <cidr...>', 'the whole new list: IPv4/IPv6 addresses and CIDRs (replaces the old one)')
    .option('--clear', 'remove the allowlist: any IP is accepted again')
    .option(
      '--credential <which>',
      "one credential's own list instead of the client's: api_key or shared_secret (the current one) or a credential id",
    )
    .option('--json', 'print the updated client (with --credential: the credential) as JSON')
    .addHelpText(
      'after',
      '\nRequests from any other client IP are refused with 403 ip_not_allowed. A credential with a list of its own\n' +
        "is accepted only from addresses both lists admit; a rotation copies the credential's list to the new one.\n" +
        '\nExamples:\n  gatekeeper client allow-ip batch --set 203.0.113.0/24 2001:db8::/32\n' +
        '  gatekeeper client allow-ip batch --credential api_key --set 203.0.113.7\n' +
        '  gatekeeper client allow-ip batch --clear',
    )
    .action(async (id: string | undefined, opts: Json & { set?: string[]; clear?: boolean; credential?: string }) => {
      if ((opts.set === undefined) === (opts.clear !== true))
        throw CliError.usage('give exactly one of --set <cidr...> or --clear')
      const list = opts.set === undefined ? null : opts.set.flatMap(splitIps)
      if (list !== null && list.length === 0) throw CliError.usage('--set needs at least one address or CIDR')
      const { ops } = await ctx.session()
      const clientId = await pickClient(ops, ctx.prompter(opts), id, '<client_id>')
      if (opts.credential !== undefined) {
        const detail = await ops.clients.get(clientId)
        const target = findCredential(detail, opts.credential.trim())
        const updated = await ops.clients.updateCredential(ctx.actor, clientId, target.credential_id, {
          ip_allowlist: list,
        })
        if (opts.json) return ctx.out.json(updated)
        const what = `${updated.kind} ${updated.credential_id} of ${detail.client_name}`
        return ctx.out.success(
          list === null ? `the ${what} has no list of its own` : `the ${what} is accepted only from ${list.join(', ')}`,
        )
      }
      const updated = await ops.clients.update(ctx.actor, clientId, { ip_allowlist: list })
      if (opts.json) return ctx.out.json(updated)
      ctx.out.success(
        list === null
          ? `client ${updated.client_name} is accepted from any IP`
          : `client ${updated.client_name} is accepted only from ${list.join(', ')}`,
      )
    })
}
