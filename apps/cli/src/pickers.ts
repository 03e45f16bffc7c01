import type { AdminOps } from '@gatekeeper/db/admin'
import type { ClientWire, PermissionWire, RouteWire } from '@gatekeeper/models'
import { CliError } from './errors'
import { resolveClient, resolveRoute } from './lookups'
import { type Choice, missingFlag, type Prompter } from './prompt'
import { credentialsText, methodsSummary, methodsText, permissionTarget, routeLabel } from './render'

// Select lists for the entities a command needs when its argument is missing (and a terminal is there).

/**
 * The id of one entity picked from a list on a terminal; without a terminal the missing flag is a usage
 * error, and an empty list is a not-found naming `none`.
 */
export async function pickFrom<T>(
  prompter: Prompter,
  flag: string,
  pick: { message: string; none: string; list: () => Promise<ReadonlyArray<T>>; choice: (item: T) => Choice<string> },
): Promise<string> {
  if (!prompter.interactive) throw missingFlag(flag)
  const items = await pick.list()
  if (items.length === 0) throw CliError.notFound(pick.none)
  return prompter.select<string>({ message: pick.message, flag, options: items.map(pick.choice) })
}

// A route or client given on the command line may be named rather than given by id (lookups.ts).
export async function pickRoute(ops: AdminOps, prompter: Prompter, given: string | undefined, flag: string) {
  if (given !== undefined) return resolveRoute(ops, given)
  return pickFrom(prompter, flag, {
    message: 'Route',
    none: 'there are no routes yet: create one with `gatekeeper route create`',
    list: () => ops.routes.list(),
    choice: (r: RouteWire) => ({
      value: r.route_id,
      label: routeLabel(r),
      hint: `${r.service_name} · ${methodsSummary(r.methods)}`,
    }),
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
  return pickFrom(prompter, flag, {
    message: 'Client',
    none: 'there are no matching clients: create one with `gatekeeper client create`',
    list: async () => (await ops.clients.list()).filter(filter),
    choice: (c: ClientWire) => ({
      value: c.client_id,
      label: `${c.status === 'active' ? '●' : '○'} ${c.client_name}`,
      hint: `${c.status} · ${credentialsText(c)} · ${c.client_id.slice(0, 8)}`,
    }),
  })
}

export async function pickPermission(ops: AdminOps, prompter: Prompter, flag: string) {
  return pickFrom(prompter, flag, {
    message: 'Permission',
    none: 'there are no permissions',
    list: () => ops.permissions.list(),
    choice: (p: PermissionWire) => ({
      value: p.permission_id,
      label: `${p.client_name} → ${permissionTarget(p)}`,
      hint: `${methodsText(p.allowed_methods)} · ${p.route_service_name}`,
    }),
  })
}
