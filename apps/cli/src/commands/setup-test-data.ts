import type { AdminOps } from '@gatekeeper/db/admin'
import {
  type ClientCreatedWire,
  domainProblem,
  type PermissionWire,
  type RouteMethods,
  type RouteWire,
} from '@gatekeeper/models'
import type { Command } from 'commander'
import type { CliContext } from '../context'
import { CliError } from '../errors'
import { ruleFor } from '../methods'
import { methodsSummary } from '../render'
import { shellQuote } from '../shell'
import { printCredentials } from './client/print'

type RouteSpec = { pattern: string; service: string; methods: RouteMethods }

const ROUTES: ReadonlyArray<RouteSpec> = [
  { pattern: '/api/public', service: 'test-public', methods: { GET: ruleFor('public') } },
  {
    pattern: '/api/protected',
    service: 'test-protected',
    methods: { GET: ruleFor('api_key'), POST: ruleFor('api_key') },
  },
  { pattern: '/api/secure', service: 'test-secure', methods: { GET: ruleFor('hmac'), POST: ruleFor('hmac') } },
]

const SECRET_VAR = 'GK_TEST_SECRET'

type Check = { name: string; expect: number; command: string }

export function registerSetupTestData(program: Command, ctx: CliContext): void {
  program
    .command('setup-test-data')
    .description(
      'create public, API-key and HMAC test routes, two clients and their permissions, and print curl commands to try them',
    )
    .option('--domain <domain>', 'domain of the test routes (* for any host)', 'gatekeeper.test')
    .option('--authz-url <url>', 'where authz listens', 'http://localhost:7843')
    .option('--json', 'print {routes, clients, permissions, checks} as JSON (includes the raw credentials)')
    .action(async (opts: { domain: string; authzUrl: string; json?: boolean }) => {
      const domain = opts.domain.trim().toLowerCase()
      const problem = domainProblem(domain)
      if (problem !== null) throw CliError.usage(`--domain: ${problem}`)
      const { ops } = await ctx.session()

      const routes = await ensureRoutes(ctx, ops, domain)
      const [publicRoute, keyRoute, hmacRoute] = routes
      if (publicRoute === undefined || keyRoute === undefined || hmacRoute === undefined)
        throw CliError.failed('test routes missing')
      const keyClient = await ensureClient(ctx, ops, 'Test API key client', 'api_key')
      const hmacClient = await ensureClient(ctx, ops, 'Test HMAC client', 'shared_secret')
      const permissions: PermissionWire[] = [
        (
          await ops.permissions.grant(ctx.actor, {
            client_id: keyClient.client_id,
            route_id: keyRoute.route_id,
            allowed_methods: ['GET', 'POST'],
          })
        ).permission,
        (
          await ops.permissions.grant(ctx.actor, {
            client_id: hmacClient.client_id,
            route_id: hmacRoute.route_id,
            allowed_methods: ['GET', 'POST'],
          })
        ).permission,
      ]
      const checks = curlChecks(ctx.self, opts.authzUrl, hostFor(domain), keyClient, hmacClient)

      if (opts.json)
        return ctx.out.json({ routes, clients: [keyClient, hmacClient], permissions, checks, secret_env: SECRET_VAR })
      ctx.out.success(`test data on ${domain}: ${routes.length} routes, 2 clients, 2 permissions`)
      for (const r of routes)
        ctx.out.line(`  ${r.route_pattern.padEnd(16)} ${methodsSummary(r.methods)}  (${r.route_id})`)
      ctx.out.line()
      printCredentials(ctx.out, keyClient.client_name, keyClient.client_id, keyClient)
      printCredentials(ctx.out, hmacClient.client_name, hmacClient.client_id, hmacClient)
      ctx.out.line()
      ctx.out.line(`Try them against authz (${opts.authzUrl}):`)
      ctx.out.line()
      ctx.out.line(`export ${SECRET_VAR}=${shellQuote(hmacClient.shared_secret ?? '')}`)
      for (const c of checks) {
        ctx.out.line(`# ${c.name}: expect ${c.expect}`)
        ctx.out.line(c.command)
      }
    })
}

/**
 * Reuses a test route that already exists with the same settings, so the command can be run again.
 * Every route is checked before any is created: a conflict leaves nothing half made.
 */
async function ensureRoutes(ctx: CliContext, ops: AdminOps, domain: string): Promise<RouteWire[]> {
  const existing = await ops.routes.list()
  const found = ROUTES.map((spec) => existing.find((r) => r.domain === domain && r.route_pattern === spec.pattern))
  ROUTES.forEach((spec, i) => {
    const route = found[i]
    if (route !== undefined && JSON.stringify(route.methods) !== JSON.stringify(spec.methods)) {
      throw CliError.conflict(
        `a route ${spec.pattern} on ${domain} already exists with other methods (${route.route_id}); choose another --domain`,
      )
    }
  })
  const out: RouteWire[] = []
  for (const [i, spec] of ROUTES.entries()) {
    out.push(
      found[i] ??
        (await ops.routes.create(ctx.actor, {
          route_pattern: spec.pattern,
          domain,
          service_name: spec.service,
          methods: spec.methods,
        })),
    )
  }
  return out
}

/**
 * The test client of that name with a fresh credential of `kind`: created, or, when a run before made it,
 * that client with the credential rotated (the old one stops: nobody else holds a test credential). A second
 * run used to add a second client of the same name, which made `--client "Test API key client"` ambiguous and
 * `gatekeeper export` a file that validate and diff refuse.
 */
async function ensureClient(
  ctx: CliContext,
  ops: AdminOps,
  name: string,
  kind: 'api_key' | 'shared_secret',
): Promise<ClientCreatedWire> {
  const same = (await ops.clients.list()).filter((c) => c.client_name === name)
  const [existing, ...more] = same
  if (existing === undefined) {
    return ops.clients.create(ctx.actor, {
      client_name: name,
      [kind === 'api_key' ? 'api_key' : 'shared_secret']: true,
    })
  }
  if (more.length > 0) {
    throw CliError.conflict(
      `${same.length} clients are named "${name}": delete the extra ones (gatekeeper client delete <id>: ${same.map((c) => c.client_id).join(', ')}) and run this again`,
    )
  }
  const rotated = await ops.clients.rotate(ctx.actor, existing.client_id, { credential: kind, grace_seconds: 0 })
  return {
    ...rotated.client,
    ...(rotated.api_key === undefined ? {} : { api_key: rotated.api_key }),
    ...(rotated.shared_secret === undefined ? {} : { shared_secret: rotated.shared_secret }),
  }
}

/** A host the test routes answer for. */
function hostFor(domain: string): string {
  if (domain === '*') return 'api.example.com'
  if (domain.startsWith('*.')) return `test.${domain.slice(2)}`
  return domain
}

function curlChecks(
  self: string,
  authzUrl: string,
  host: string,
  keyClient: ClientCreatedWire,
  hmacClient: ClientCreatedWire,
): Check[] {
  const url = `${authzUrl.replace(/\/+$/, '')}/authz`
  const base = (path: string, method: string) =>
    [
      'curl',
      '-s',
      '-o',
      '/dev/null',
      '-w',
      "'%{http_code}\\n'",
      shellQuote(url),
      '-H',
      shellQuote(`X-Original-URI: ${path}`),
      '-H',
      shellQuote(`X-Original-Method: ${method}`),
      '-H',
      shellQuote(`X-Original-Host: ${host}`),
    ].join(' ')
  // v2 (the default) prints both headers it needs, one per line: curl reads them from stdin with -H @-.
  const sign = `${self} sign --client-id ${hmacClient.client_id} --secret-env ${SECRET_VAR} --method GET --url ${shellQuote(`http://${host}/api/secure`)}`
  return [
    { name: 'public route, no credentials', expect: 200, command: base('/api/public', 'GET') },
    { name: 'API key route without a key', expect: 401, command: base('/api/protected', 'GET') },
    {
      name: 'API key route with the key',
      expect: 200,
      command: `${base('/api/protected', 'GET')} -H ${shellQuote(`Authorization: Bearer ${keyClient.api_key ?? ''}`)}`,
    },
    {
      name: 'HMAC route, signed (sign every request anew: the nonce is single-use)',
      expect: 200,
      command: `${sign} | ${base('/api/secure', 'GET')} -H @-`,
    },
  ]
}
