import { routeWire } from '@gatekeeper/db/admin'
import { routes } from '@gatekeeper/db/schema'
import { routeCreateSchema } from '@gatekeeper/models'
import { and, eq, ne, sql } from 'drizzle-orm'
import type { OriginalRoute } from './original'
import { dateOf, type ImportRun, importRow, keptId, skip, validOrSkip } from './run'

/** Routes keep their ids; one already here is compared field by field and updated only if it differs. */
export async function importRoutes(run: ImportRun, rows: ReadonlyArray<OriginalRoute>): Promise<void> {
  for (const r of rows) {
    const routeId = keptId(run, 'routes', r.id, 'route_id')
    if (routeId === undefined) continue
    const want = validOrSkip(
      run,
      'routes',
      routeId,
      'route',
      routeCreateSchema.safeParse({
        route_pattern: r.pattern,
        domain: r.domain,
        service_name: r.service,
        methods: r.methods,
      }),
    )
    if (want === undefined) continue
    const [clash] = await run.q
      .select({ id: routes.id })
      .from(routes)
      .where(and(eq(routes.domain, want.domain), eq(routes.routePattern, want.route_pattern), ne(routes.id, routeId)))
    if (clash !== undefined) {
      skip(run, 'routes', routeId, `${want.domain} ${want.route_pattern} is already route ${clash.id} here`)
      continue
    }
    run.routes.set(routeId, { domain: want.domain, pattern: want.route_pattern, service: want.service_name })
    const [current] = await run.q.select().from(routes).where(eq(routes.id, routeId))
    await importRow(run, 'routes', {
      audit: { entityType: 'route', entityId: routeId, actions: ['route.import', 'route.import_update'] },
      current,
      unchanged: (row) =>
        row.routePattern === want.route_pattern &&
        row.domain === want.domain &&
        row.serviceName === want.service_name &&
        JSON.stringify(routeWire(row).methods) === JSON.stringify(want.methods),
      insert: (tx) =>
        tx
          .insert(routes)
          .values({
            id: routeId,
            routePattern: want.route_pattern,
            domain: want.domain,
            serviceName: want.service_name,
            methods: want.methods,
            createdAt: dateOf(r.createdAt),
            updatedAt: dateOf(r.updatedAt),
          })
          .returning(),
      update: (tx) =>
        tx
          .update(routes)
          .set({
            routePattern: want.route_pattern,
            domain: want.domain,
            serviceName: want.service_name,
            methods: want.methods,
            version: sql`${routes.version} + 1`,
          })
          .where(eq(routes.id, routeId))
          .returning(),
      wire: routeWire,
    })
  }
}
