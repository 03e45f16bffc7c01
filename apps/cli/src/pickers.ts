import type { AdminOps } from '@gatekeeper/db/admin'
import type { ClientWire, PermissionWire, RouteWire } from '@gatekeeper/models'
import { CliError } from './errors'
import { resolveClient, resolveRoute } from './lookups'
import { missingFlag, type Prompter } from './prompt'
import { credentialsText, methodsSummary, methodsText, permissionTarget, routeLabel } from './render'

// Select lists for the entities a command needs when its argument is missing (and a terminal is there).

// A route or client given on the command line may be named rather than given by id (lookups.ts).
export async function pickRoute(ops: AdminOps, prompter: Prompter, given: string | undefined, flag: string) {
  if (given !== undefined) return resolveRoute(ops, given)
  if (!prompter.interactive) throw missingFlag(flag)
  const routes = await ops.routes.list()
  if (routes.length === 0) throw CliError.notFound('there are no routes yet: create one with `gatekeeper route create`')
  return prompter.select<string>({
    message: 'Route',
    flag,
    options: routes.map((r: RouteWire) => ({
      value: r.route_id,
      label: routeLabel(r),
      hint: `${r.service_name} · ${methodsSummary(r.methods)}`,
    })),
  })
}

export async function pickClient(
  ops: AdminOps,
  prompter: Prompter,
  given: string | undefined,
  flag: string,
  filter: (c: ClientWire) => boolean = () => true,
) {
  if (given !== undefined) return resolveClient(ops, given)
  if (!prompter.interactive) throw missingFlag(flag)
  const clients = (await ops.clients.list()).filter(filter)
  if (clients.length === 0)
    throw CliError.notFound('there are no matching clients: create one with `gatekeeper client create`')
  return prompter.select<string>({
    message: 'Client',
    flag,
    options: clients.map((c) => ({
      value: c.client_id,
      label: `${c.status === 'active' ? '●' : '○'} ${c.client_name}`,
      hint: `${c.status} · ${credentialsText(c)} · ${c.client_id.slice(0, 8)}`,
    })),
  })
}

export async function pickPermission(ops: AdminOps, prompter: Prompter, flag: string) {
  if (!prompter.interactive) throw missingFlag(flag)
  const permissions = await ops.permissions.list()
  if (permissions.length === 0) throw CliError.notFound('there are no permissions')
  return prompter.select<string>({
    message: 'Permission',
    flag,
    options: permissions.map((p: PermissionWire) => ({
      value: p.permission_id,
      label: `${p.client_name} → ${permissionTarget(p)}`,
      hint: `${methodsText(p.allowed_methods)} · ${p.route_service_name}`,
    })),
  })
}
