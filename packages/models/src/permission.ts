import { z } from 'zod'
import { httpMethodSchema, sortMethods } from './http'
import { epochSecondsSchema, idSchema } from './primitives'
import { versionSchema } from './route'

/**
 * Grants (or replaces the methods of) a client's access to a route. Methods come out deduplicated, sorted.
 * `version`: replace only the grant of that version (optimistic concurrency, as for routes and clients).
 */
export const permissionGrantSchema = z.object({
  client_id: idSchema,
  route_id: idSchema,
  allowed_methods: z.array(httpMethodSchema).min(1, 'at least one method is required').transform(sortMethods),
  version: versionSchema.optional(),
})

export const permissionWireSchema = z.object({
  permission_id: idSchema,
  client_id: idSchema,
  client_name: z.string(),
  route_id: idSchema,
  route_domain: z.string(),
  route_pattern: z.string(),
  route_service_name: z.string(),
  allowed_methods: z.array(httpMethodSchema),
  created_at: epochSecondsSchema,
})

/** `GET /api/admin/permissions?client_id=&route_id=`: empty values mean no filter. */
export const permissionListQuerySchema = z.object({
  client_id: z.preprocess((value) => (value === '' ? undefined : value), idSchema.optional()),
  route_id: z.preprocess((value) => (value === '' ? undefined : value), idSchema.optional()),
})

export type PermissionGrantInput = z.output<typeof permissionGrantSchema>
export type PermissionGrantBody = z.input<typeof permissionGrantSchema>
export type PermissionWire = z.output<typeof permissionWireSchema>
export type PermissionListQuery = z.output<typeof permissionListQuerySchema>
