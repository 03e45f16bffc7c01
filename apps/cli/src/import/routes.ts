import { routeWire } from '@gatekeeper/db/admin'
import { routes } from '@gatekeeper/db/schema'
import { routeCreateSchema } from '@gatekeeper/models'
import { and, eq, ne, sql } from 'drizzle-orm'
import type { OriginalRoute } from './original'
import { dateOf, type ImportRun, keptId, skip, tally, validOrSkip } from './run'

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
    if (current === undefined) {
      tally(run, 'routes', 'created')
      if (run.tx === null) continue
      const [row] = await run.tx
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
        .returning()
      if (row)
        await run.writeAudit({ action: 'route.import', entityType: 'route', entityId: routeId, after: routeWire(row) })
      continue
    }
    const before = routeWire(current)
    const same =
      current.routePattern === want.route_pattern &&
      current.domain === want.domain &&
      current.serviceName === want.service_name &&
      JSON.stringify(before.methods) === JSON.stringify(want.methods)
    if (same) {
      tally(run, 'routes', 'unchanged')
      continue
    }
    tally(run, 'routes', 'updated')
    if (run.tx === null) continue
    const [row] = await run.tx
      .update(routes)
      .set({
        routePattern: want.route_pattern,
        domain: want.domain,
        serviceName: want.service_name,
        methods: want.methods,
        version: sql`${routes.version} + 1`,
      })
      .where(eq(routes.id, routeId))
      .returning()
    if (row)
      await run.writeAudit({
        action: 'route.import_update',
        entityType: 'route',
        entityId: routeId,
        before,
        after: routeWire(row),
      })
  }
}
