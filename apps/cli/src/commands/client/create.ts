import { CLIENT_STATUSES, type ClientStatus } from '@gatekeeper/models'
import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { parseExpiry } from '../../duration'
import { formatTime } from '../../output'
import { printCredentials } from './print'
import { collectIps, EXPIRES_HELP, type Json, nowSeconds, parseMetadata, parseStatus } from './shared'

type CreateOpts = Json & {
  name?: string
  apiKey?: boolean
  sharedSecret?: boolean
  status?: string
  expires?: string
  credentialsExpire?: string
  allowIp: string[]
  metadata?: string
}

export function registerClientCreate(client: Command, ctx: CliContext): void {
  client
    .command('create')
    .description('create a client and print its credentials (once)')
    .option('--name <name>', 'client name, e.g. "Mobile App v2.1"')
    .option('--api-key', 'generate an API key')
    .option('--shared-secret', 'generate an HMAC shared secret')
    .option('--status <status>', `initial status: ${CLIENT_STATUSES.join(', ')}`, undefined)
    .option('--expires <when>', `the client stops working then (every credential, rotated ones too): ${EXPIRES_HELP}`)
    .option('--credentials-expire <when>', `only the credentials generated now stop working then: ${EXPIRES_HELP}`)
    .option(
      '--allow-ip <cidr>',
      'accept the credentials only from this IPv4/IPv6 address or CIDR (repeatable; default: any IP)',
      collectIps,
      [],
    )
    .option(
      '--metadata <json>',
      'a JSON object kept with the client (at most 50 keys, 4 KiB), e.g. \'{"plan":"gold"}\'',
    )
    .option('--json', 'print the client with its raw credentials as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  gatekeeper client create --name "Mobile App" --api-key --shared-secret\n' +
        '  gatekeeper client create --name contractor --api-key --expires 30d\n' +
        '  gatekeeper client create --name batch --api-key --allow-ip 203.0.113.0/24 --allow-ip 2001:db8::/32',
    )
    .action(async (opts: CreateOpts) => {
      const prompter = ctx.prompter(opts)
      const expiresAt = opts.expires === undefined ? undefined : parseExpiry(opts.expires, '--expires', nowSeconds())
      const metadata = opts.metadata === undefined ? undefined : parseMetadata(opts.metadata)
      const credentialsExpireAt =
        opts.credentialsExpire === undefined
          ? undefined
          : parseExpiry(opts.credentialsExpire, '--credentials-expire', nowSeconds())
      let wantKey = opts.apiKey === true
      let wantSecret = opts.sharedSecret === true
      const asking = prompter.interactive && (opts.name === undefined || (!wantKey && !wantSecret))
      const name =
        opts.name ??
        (await prompter.text({
          message: 'Client name',
          flag: '--name',
          placeholder: 'Mobile App v2.1',
          validate: (v) => (v.trim() === '' ? 'must not be empty' : undefined),
        }))
      if (!wantKey && !wantSecret) {
        const kind = await prompter.select<'api_key' | 'shared_secret' | 'both'>({
          message: 'Credentials',
          flag: '--api-key and/or --shared-secret',
          options: [
            { value: 'api_key', label: 'API key', hint: 'Authorization: Bearer …' },
            { value: 'shared_secret', label: 'Shared secret', hint: 'HMAC-signed requests' },
            { value: 'both', label: 'Both' },
          ],
        })
        wantKey = kind !== 'shared_secret'
        wantSecret = kind !== 'api_key'
      }
      const status =
        opts.status !== undefined
          ? parseStatus(opts.status)
          : asking
            ? await prompter.select<ClientStatus>({
                message: 'Status',
                flag: '--status',
                options: CLIENT_STATUSES.map((s) => ({ value: s, label: s })),
                initial: 'active',
              })
            : 'active'
      const { ops } = await ctx.session()
      const created = await ops.clients.create(ctx.actor, {
        client_name: name,
        status,
        api_key: wantKey,
        shared_secret: wantSecret,
        ...(expiresAt !== undefined ? { expires_at: expiresAt } : {}),
        ...(credentialsExpireAt !== undefined ? { credentials_expire_at: credentialsExpireAt } : {}),
        ...(opts.allowIp.length > 0 ? { ip_allowlist: opts.allowIp } : {}),
        ...(metadata !== undefined ? { metadata } : {}),
      })
      if (opts.json) return ctx.out.json(created)
      ctx.out.success(`created client ${created.client_name} (${created.client_id})`)
      if (created.expires_at != null) ctx.out.line(`The client expires at ${formatTime(created.expires_at)}.`)
      printCredentials(ctx.out, created.client_name, created.client_id, created)
    })
}
