import { permissionWire } from '@gatekeeper/db/admin'
import { type ClientPermission, clientPermissions } from '@gatekeeper/db/schema'
import { permissionGrantSchema } from '@gatekeeper/models'
import { and, eq, ne, sql } from 'drizzle-orm'
import type { OriginalPermission } from './original'
import { dateOf, type ImportRun, importRow, keptId, skip, validOrSkip } from './run'

function wireOf(run: ImportRun, row: ClientPermission) {
  const route = run.routes.get(row.routeId)
  return permissionWire({
    ...row,
    clientName: run.clients.get(row.clientId) ?? '',
    routeDomain: route?.domain ?? '',
    routePattern: route?.pattern ?? '',
    routeServiceName: route?.service ?? '',
  })
}

/** Permissions keep their ids; each needs its client and route imported (or already here). */
export async function importPermissions(run: ImportRun, rows: ReadonlyArray<OriginalPermission>): Promise<void> {
  for (const p of rows) {
    const permissionId = keptId(run, 'permissions', p.id, 'permission_id')
    if (permissionId === undefined) continue
    const want = validOrSkip(
      run,
      'permissions',
      permissionId,
      'permission',
      permissionGrantSchema.safeParse({ client_id: p.clientId, route_id: p.routeId, allowed_methods: p.methods }),
    )
    if (want === undefined) continue
    if (!run.clients.has(want.client_id) || !run.routes.has(want.route_id)) {
      skip(
        run,
        'permissions',
        permissionId,
        `its ${run.clients.has(want.client_id) ? 'route' : 'client'} was not imported`,
      )
      continue
    }
    const [clash] = await run.q
      .select({ id: clientPermissions.id })
      .from(clientPermissions)
      .where(
        and(
          eq(clientPermissions.clientId, want.client_id),
          eq(clientPermissions.routeId, want.route_id),
          ne(clientPermissions.id, permissionId),
        ),
      )
    if (clash !== undefined) {
      skip(run, 'permissions', permissionId, `this client already has permission ${clash.id} on this route here`)
      continue
    }
    const [current] = await run.q.select().from(clientPermissions).where(eq(clientPermissions.id, permissionId))
    await importRow(run, 'permissions', {
      audit: {
        entityType: 'permission',
        entityId: permissionId,
        actions: ['permission.import', 'permission.import_update'],
      },
      current,
      unchanged: (row) =>
        row.clientId === want.client_id &&
        row.routeId === want.route_id &&
        [...row.allowedMethods].sort().join(',') === [...want.allowed_methods].sort().join(','),
      insert: (tx) =>
        tx
          .insert(clientPermissions)
          .values({
            id: permissionId,
            clientId: want.client_id,
            routeId: want.route_id,
            allowedMethods: want.allowed_methods,
            createdAt: dateOf(p.createdAt),
            updatedAt: dateOf(p.createdAt),
          })
          .returning(),
      update: (tx) =>
        tx
          .update(clientPermissions)
          .set({
            clientId: want.client_id,
            routeId: want.route_id,
            allowedMethods: want.allowed_methods,
            version: sql`${clientPermissions.version} + 1`,
          })
          .where(eq(clientPermissions.id, permissionId))
          .returning(),
      wire: (row) => wireOf(run, row),
    })
  }
}
