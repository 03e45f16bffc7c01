import type { ClientRotated } from '@gatekeeper/db/admin'
import {
  CLIENT_STATUSES,
  type ClientCreatedWire,
  type ClientDetailWire,
  type ClientStatus,
  type ClientUsageWire,
  type ClientWire,
  type CredentialWire,
} from '@gatekeeper/models'
import type { Command } from 'commander'
import type { CliContext } from '../context'
import { parseDuration, parseExpiry } from '../duration'
import { CliError } from '../errors'
import { findRateLimit } from '../lookups'
import { formatTime, type Output } from '../output'
import { pickClient } from '../pickers'
import { guardDestructive } from '../prompt'
import { credentialsText, limitText, methodsText, permissionTarget, statusText } from '../render'
import { parseVersion } from './options'

type Json = { json?: boolean }
type RotateOpts = Json & { credential?: string; grace: string; yes?: boolean; expires?: string }
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

/** `--metadata '{...}'`: a JSON object, or `null` to clear (the size limits are checked by the operation). */
function parseMetadata(text: string): Record<string, unknown> | null {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw CliError.usage(`--metadata: not JSON: ${text.length > 60 ? `${text.slice(0, 60)}…` : text}`)
  }
  if (value === null) return null
  if (typeof value !== 'object' || Array.isArray(value))
    throw CliError.usage('--metadata: expected a JSON object (or null)')
  return value as Record<string, unknown>
}

/** `--credential`: the client's current credential of a kind (`api_key`, `shared_secret`), or a credential id. */
function findCredential(detail: ClientDetailWire, which: string): CredentialWire {
  const credentials = detail.credentials ?? []
  const found =
    which === 'api_key' || which === 'shared_secret'
      ? credentials.find((c) => c.kind === which && c.state === 'current')
      : credentials.find((c) => c.credential_id === which)
  if (found === undefined) {
    throw CliError.usage(
      `--credential: client ${detail.client_name} has no ${which === 'api_key' || which === 'shared_secret' ? `current ${which}` : `live credential ${which}`}`,
    )
  }
  return found
}

/** Repeatable `--allow-ip`: each value may also hold several entries separated by commas. */
function collectIps(value: string, previous: string[]): string[] {
  return [...previous, ...splitIps(value)]
}

function splitIps(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0)
}

const nowSeconds = () => Math.floor(Date.now() / 1000)

const EXPIRES_HELP = 'a span from now (30d, 12h), an ISO time (2026-12-31T18:00:00Z) or epoch seconds'

function parseStatus(text: string): ClientStatus {
  const status = CLIENT_STATUSES.find((s) => s === text.trim().toLowerCase())
  if (status === undefined) throw CliError.usage(`--status: "${text}" is not one of ${CLIENT_STATUSES.join(', ')}`)
  return status
}

export function registerClient(program: Command, ctx: CliContext): void {
  const client = program.command('client').description('API consumers, their credentials and status')

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

  client
    .command('list')
    .description('list clients (API keys masked)')
    .option('--status <status>', 'only clients with this status')
    .option(
      '--unused-for <span>',
      'only clients none of whose credentials was accepted for this long (90d, 12h); a client never used counts once it is that old',
    )
    .option('--json', 'print the clients as a JSON array')
    .action(async (opts: Json & { status?: string; unusedFor?: string }) => {
      const status = opts.status === undefined ? undefined : parseStatus(opts.status)
      const { ops } = await ctx.session()
      const query = opts.unusedFor === undefined ? {} : { unused_for: opts.unusedFor.trim() }
      const clients = (await ops.clients.list(query)).filter((c) => status === undefined || c.status === status)
      if (opts.json) return ctx.out.json(clients)
      if (clients.length === 0) return ctx.out.line('no clients')
      ctx.out.table(
        ['CLIENT ID', 'NAME', 'STATUS', 'CREDENTIALS', 'LAST USED'],
        clients.map((c) => [
          c.client_id,
          c.client_name,
          statusText(c.status, ctx.out.style),
          credentialsText(c),
          c.last_used_at == null ? 'never' : formatTime(c.last_used_at),
        ]),
      )
    })

  client
    .command('show')
    .description('show a client, its permissions and rate limit')
    .argument('[client]', 'the client: id or name (picked from a list on a terminal)')
    .option('--json', 'print the client as JSON')
    .action(async (id: string | undefined, opts: Json) => {
      const { ops } = await ctx.session()
      const clientId = await pickClient(ops, ctx.prompter(opts), id, '<client_id>')
      const found = await ops.clients.get(clientId)
      if (opts.json) return ctx.out.json(found)
      printClient(ctx.out, found)
      printCredentialList(ctx.out, found.credentials ?? [])
      const limit = await findRateLimit(ops, clientId)
      ctx.out.fields([['Rate limit', limit ? limitText(limit) : 'none']])
      const permissions = await ops.permissions.list({ client_id: clientId })
      ctx.out.line()
      if (permissions.length === 0) return ctx.out.line('no permissions (`gatekeeper permission grant`)')
      ctx.out.table(
        ['ROUTE', 'SERVICE', 'ALLOWED', 'PERMISSION ID'],
        permissions.map((p) => [
          permissionTarget(p),
          p.route_service_name,
          methodsText(p.allowed_methods),
          p.permission_id,
        ]),
      )
    })

  client
    .command('update')
    .description('rename a client or change its status')
    .argument('[client]', 'the client: id or name (picked from a list on a terminal)')
    .option('--name <name>', 'new name')
    .option('--status <status>', `new status: ${CLIENT_STATUSES.join(', ')}`)
    .option('--metadata <json>', "replace the client's metadata with this JSON object; 'null' clears it")
    .option('--if-version <n>', 'only if the client is still at this version (exit 4 otherwise)')
    .option('--json', 'print the updated client as JSON')
    .action(
      async (
        id: string | undefined,
        opts: Json & { name?: string; status?: string; metadata?: string; ifVersion?: string },
      ) => {
        const prompter = ctx.prompter(opts)
        const { ops } = await ctx.session()
        const clientId = await pickClient(ops, prompter, id, '<client_id>')
        const current = await ops.clients.get(clientId)
        const body: Record<string, unknown> = {}
        if (opts.name !== undefined) body.client_name = opts.name
        if (opts.status !== undefined) body.status = parseStatus(opts.status)
        if (opts.metadata !== undefined) body.metadata = parseMetadata(opts.metadata)
        if (Object.keys(body).length === 0) {
          if (!prompter.interactive) throw CliError.usage('nothing to change: give --name, --status or --metadata')
          body.client_name = await prompter.text({
            message: 'Client name',
            flag: '--name',
            initial: current.client_name,
          })
          body.status = await prompter.select<ClientStatus>({
            message: 'Status',
            flag: '--status',
            options: CLIENT_STATUSES.map((s) => ({ value: s, label: s })),
            initial: current.status,
          })
        }
        if (opts.ifVersion !== undefined) body.version = parseVersion(opts.ifVersion)
        const updated = await ops.clients.update(ctx.actor, clientId, body)
        if (opts.json) return ctx.out.json(updated)
        ctx.out.success(`updated client ${updated.client_id}`)
        printClient(ctx.out, updated)
      },
    )

  const statusCommand = (name: string, status: ClientStatus, description: string, confirmWord?: string) =>
    client
      .command(name)
      .description(description)
      .argument('[client]', 'the client: id or name (picked from a list on a terminal)')
      .option('--yes', confirmWord ? 'do not ask for confirmation' : 'accepted for symmetry (nothing is asked)')
      .option('--json', 'print the updated client as JSON')
      .action(async (id: string | undefined, opts: Json & { yes?: boolean }) => {
        const prompter = ctx.prompter(opts)
        const { ops } = await ctx.session()
        const clientId = await pickClient(ops, prompter, id, '<client_id>', (c) => c.status !== status)
        const current = await ops.clients.get(clientId)
        if (current.status === status) {
          if (opts.json) return ctx.out.json(current)
          return ctx.out.line(`client ${current.client_name} is already ${status}`)
        }
        if (confirmWord !== undefined) {
          if (!opts.json)
            ctx.out.line(`Client ${current.client_name} (${current.client_id}) will be refused by authz from now on.`)
          await guardDestructive(
            prompter,
            { yes: opts.yes === true, action: `${name} client ${clientId}` },
            confirmWord,
            `${name[0]?.toUpperCase()}${name.slice(1)} this client?`,
          )
        }
        const updated = await ops.clients.update(ctx.actor, clientId, { status, version: current.version })
        if (opts.json) return ctx.out.json(updated)
        ctx.out.success(`client ${updated.client_name} is now ${statusText(updated.status, ctx.out.style)}`)
      })

  statusCommand('suspend', 'suspended', 'suspend a client: requests are refused until it is activated again')
  statusCommand('activate', 'active', 'activate a suspended (or revoked) client')
  statusCommand('revoke', 'revoked', 'revoke a client for good (asks you to type "revoke")', 'revoke')

  client
    .command('expire')
    .description('set or clear when a client, or its current API key or shared secret, stops working')
    .argument('[client]', 'the client: id or name (picked from a list on a terminal)')
    .option('--at <when>', `the moment: ${EXPIRES_HELP}`)
    .option('--never', 'clear the expiry')
    .option('--credential <kind>', 'api_key or shared_secret: the current credential of that kind, not the client')
    .option('--json', 'print the updated client as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  gatekeeper client expire contractor --at 2026-12-11T18:00:00Z\n' +
        '  gatekeeper client expire contractor --credential api_key --at 7d\n' +
        '  gatekeeper client expire contractor --never',
    )
    .action(async (id: string | undefined, opts: Json & { at?: string; never?: boolean; credential?: string }) => {
      if ((opts.at === undefined) === (opts.never !== true))
        throw CliError.usage('give exactly one of --at <when> or --never')
      const field =
        opts.credential === undefined
          ? 'expires_at'
          : opts.credential === 'api_key' || opts.credential === 'shared_secret'
            ? `${opts.credential}_expires_at`
            : undefined
      if (field === undefined)
        throw CliError.usage(`--credential: "${opts.credential}" is not api_key or shared_secret`)
      const at = opts.at === undefined ? null : parseExpiry(opts.at, '--at', nowSeconds())
      const { ops } = await ctx.session()
      const clientId = await pickClient(ops, ctx.prompter(opts), id, '<client_id>')
      const updated = await ops.clients.update(ctx.actor, clientId, { [field]: at })
      if (opts.json) return ctx.out.json(updated)
      const what = opts.credential === undefined ? 'client' : `current ${opts.credential} of the client`
      ctx.out.success(
        at === null
          ? `the ${what} ${updated.client_name} no longer expires`
          : `the ${what} ${updated.client_name} expires at ${formatTime(at)}`,
      )
    })

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

  client
    .command('usage')
    .description("a client's decision counts: allowed, refused (by reason) and rate limited, per hour or per day")
    .argument('[client]', 'the client: id or name (picked from a list on a terminal)')
    .option('--window <window>', '24h (24 hourly rows) or 30d (30 daily rows, UTC)', '24h')
    .option('--all', 'print every row, also those with no requests')
    .option('--json', 'print the usage answer of the admin API as JSON')
    .addHelpText(
      'after',
      '\nCounted by authz and written every AUTHZ_USAGE_FLUSH_INTERVAL_MS (60 s by default): the last minute may be missing.\n' +
        '\nExamples:\n  gatekeeper client usage "Mobile App"\n  gatekeeper client usage "Mobile App" --window 30d --json',
    )
    .action(async (id: string | undefined, opts: Json & { window: string; all?: boolean }) => {
      const window = opts.window.trim()
      if (window !== '24h' && window !== '30d') throw CliError.usage(`--window: "${opts.window}" is not 24h or 30d`)
      const { ops } = await ctx.session()
      const clientId = await pickClient(ops, ctx.prompter(opts), id, '<client_id>')
      const usage = await ops.clients.usage(clientId, { window })
      if (opts.json) return ctx.out.json(usage)
      printUsage(ctx.out, usage, opts.all === true)
    })

  client
    .command('rotate')
    .description('replace a credential and print the new one (once)')
    .argument('[client]', 'the client: id or name (picked from a list on a terminal)')
    .option('--credential <kind>', 'api_key or shared_secret')
    .option('--grace <duration>', 'keep the old credential working this long (e.g. 3600, 15m, 24h, 7d; max 30d)', '0')
    .option('--expires <when>', `the new credential stops working then: ${EXPIRES_HELP}`)
    .option('--yes', 'do not ask for confirmation when the old credential stops working at once')
    .option('--json', 'print {client, api_key|shared_secret, previous_expires_at} as JSON')
    .action(async (id: string | undefined, opts: RotateOpts) => {
      const prompter = ctx.prompter(opts)
      const grace = parseDuration(opts.grace, '--grace')
      const expiresAt = opts.expires === undefined ? undefined : parseExpiry(opts.expires, '--expires', nowSeconds())
      const { ops } = await ctx.session()
      const clientId = await pickClient(ops, prompter, id, '<client_id>')
      const current = await ops.clients.get(clientId)
      const credential =
        opts.credential ??
        (await prompter.select<string>({
          message: 'Credential to rotate',
          flag: '--credential',
          options: [
            { value: 'api_key', label: 'API key', hint: current.api_key_masked ?? 'none yet' },
            { value: 'shared_secret', label: 'Shared secret', hint: current.has_shared_secret ? 'set' : 'none yet' },
          ],
        }))
      if (grace === 0) {
        if (!opts.json)
          ctx.out.line(
            `The current ${credential} of ${current.client_name} stops working immediately (use --grace to overlap).`,
          )
        await guardDestructive(
          prompter,
          { yes: opts.yes === true, action: `rotate the ${credential} of client ${clientId} with no grace period` },
          'rotate',
          'Rotate now?',
        )
      }
      const rotated = await ops.clients.rotate(ctx.actor, clientId, {
        credential,
        grace_seconds: grace,
        ...(expiresAt !== undefined ? { expires_at: expiresAt } : {}),
      })
      if (opts.json) return ctx.out.json(rotated)
      ctx.out.success(`rotated the ${credential} of ${rotated.client.client_name}`)
      if (rotated.previous_expires_at !== null)
        ctx.out.line(`The previous one keeps working until ${formatTime(rotated.previous_expires_at)}.`)
      const newExpiry =
        credential === 'api_key' ? rotated.client.api_key_expires_at : rotated.client.shared_secret_expires_at
      if (newExpiry != null) ctx.out.line(`The new one expires at ${formatTime(newExpiry)}.`)
      printCredentials(ctx.out, rotated.client.client_name, rotated.client.client_id, rotated)
    })

  client
    .command('delete')
    .description('delete a client with its credentials, permissions and rate limit (asks you to type "delete")')
    .argument('[client]', 'the client: id or name (picked from a list on a terminal)')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print {client, cascaded} as JSON')
    .action(async (id: string | undefined, opts: Json & { yes?: boolean }) => {
      const prompter = ctx.prompter(opts)
      const { ops } = await ctx.session()
      const clientId = await pickClient(ops, prompter, id, '<client_id>')
      const current = await ops.clients.get(clientId)
      const permissions = await ops.permissions.list({ client_id: clientId })
      const limit = await findRateLimit(ops, clientId)
      const cascade = await ops.clients.cascadePreview(clientId)
      if (!opts.json) {
        ctx.out.line(
          `Client ${current.client_name} (${current.client_id}, ${current.status}, ${credentialsText(current)})`,
        )
        ctx.out.line(
          `Its ${cascade.credentials} credential${cascade.credentials === 1 ? '' : 's'} stop working at once.`,
        )
        ctx.out.line(
          permissions.length === 0
            ? 'It has no permissions.'
            : `Deleting it also revokes ${permissions.length} permission${permissions.length === 1 ? '' : 's'}:`,
        )
        for (const p of permissions) ctx.out.line(`  - ${permissionTarget(p)} (${methodsText(p.allowed_methods)})`)
        if (limit) ctx.out.line(`and its rate limit (${limitText(limit)}).`)
      }
      await guardDestructive(
        prompter,
        { yes: opts.yes === true, action: `delete client ${clientId}` },
        'delete',
        'Delete this client?',
      )
      const result = await ops.clients.remove(ctx.actor, clientId, { expectedVersion: current.version })
      if (opts.json) return ctx.out.json(result)
      ctx.out.success(
        `deleted client ${result.client.client_name}: ${result.cascaded.credentials} credential(s), ${result.cascaded.permissions} permission(s), ${result.cascaded.rate_limit} rate limit(s)`,
      )
    })
}

export function printClient(out: Output, c: ClientWire): void {
  out.fields([
    ['Client ID', c.client_id],
    ['Name', c.client_name],
    ['Status', statusText(c.status, out.style)],
    ['Expires', expiryText(c.expires_at)],
    ['API key', c.api_key_masked === null ? 'none' : `${c.api_key_masked}${expirySuffix(c.api_key_expires_at)}`],
    [
      'Shared secret',
      c.has_shared_secret ? `set (never shown again)${expirySuffix(c.shared_secret_expires_at)}` : 'none',
    ],
    ['IP allowlist', c.ip_allowlist == null ? 'any IP' : c.ip_allowlist.join(', ')],
    ['Metadata', c.metadata == null ? 'none' : JSON.stringify(c.metadata)],
    ['Last used', c.last_used_at == null ? 'never' : formatTime(c.last_used_at)],
    ['Version', String(c.version ?? '-')],
    ['Updated', formatTime(c.updated_at)],
  ])
}

/** The live credentials: kind, state, prefix, created, expiry, last use and own allowlist; never secret material. */
export function printCredentialList(out: Output, credentials: readonly CredentialWire[]): void {
  if (credentials.length === 0) return
  out.line()
  out.table(
    ['CREDENTIAL ID', 'KIND', 'STATE', 'PREFIX', 'CREATED', 'EXPIRES', 'LAST USED', 'IP ALLOWLIST'],
    credentials.map((c) => [
      c.credential_id,
      c.kind,
      c.state,
      c.prefix ?? '-',
      formatTime(c.created_at),
      expiryText(c.expires_at),
      c.last_used_at === null ? 'never' : formatTime(c.last_used_at),
      c.ip_allowlist === null ? "client's" : c.ip_allowlist.join(', '),
    ]),
  )
}

function printUsage(out: Output, usage: ClientUsageWire, all: boolean): void {
  const rows = usage.buckets.filter((b) => all || b.allowed + b.refused + b.rate_limited > 0)
  const reasons = (r: Record<string, number>) =>
    Object.entries(r)
      .sort((a, b) => b[1] - a[1])
      .map(([reason, n]) => `${reason} ${n}`)
      .join(', ')
  if (rows.length === 0) {
    out.line(`no requests in the last ${usage.window}`)
  } else {
    out.table(
      [
        usage.bucket_seconds === 3600 ? 'HOUR (UTC)' : 'DAY (UTC)',
        'ALLOWED',
        'REFUSED',
        'RATE LIMITED',
        'REFUSED BY REASON',
      ],
      rows.map((b) => [
        usage.bucket_seconds === 3600 ? formatTime(b.start) : formatTime(b.start).slice(0, 10),
        String(b.allowed),
        String(b.refused),
        String(b.rate_limited),
        reasons(b.refused_by_reason) || '-',
      ]),
    )
  }
  out.line()
  out.fields([
    ['Window', usage.window],
    ['Allowed', String(usage.totals.allowed)],
    ['Refused', String(usage.totals.refused)],
    ['Rate limited', String(usage.totals.rate_limited)],
  ])
}

function expiryText(at: number | null | undefined): string {
  if (at == null) return 'never'
  return `${formatTime(at)}${at <= nowSeconds() ? ' (expired)' : ''}`
}

function expirySuffix(at: number | null | undefined): string {
  return at == null ? '' : `, expires ${expiryText(at)}`
}

export function printCredentials(
  out: Output,
  name: string,
  clientId: string,
  raw: Pick<ClientCreatedWire, 'api_key' | 'shared_secret'> | Pick<ClientRotated, 'api_key' | 'shared_secret'>,
): void {
  const entries: Array<[string, string]> = [['Client ID', clientId]]
  if (raw.api_key !== undefined) entries.push(['API key', raw.api_key])
  if (raw.shared_secret !== undefined) entries.push(['Shared secret', raw.shared_secret])
  out.credentials(
    `Credentials for ${name}`,
    entries,
    'Shown once. Store them now: Gatekeeper keeps only a digest of the key and a sealed secret.',
  )
}
