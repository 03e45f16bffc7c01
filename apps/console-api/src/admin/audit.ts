import type { AdminOps } from '@gatekeeper/db/admin'
import { auditEntryWireSchema, auditQuerySchema } from '@gatekeeper/models'
import { z } from '@hono/zod-openapi'
import { adminRouter } from './kit'
import { adminOperations, errorResponses, jsonResponse, named } from './operations'

const AuditEntry = named(auditEntryWireSchema, 'AuditEntry')
const operation = adminOperations('audit')

const list = operation('get', '/', {
  summary: 'Read the admin audit log',
  description:
    'Newest first. Filters: `actor`, `entity_type`, `entity_id`, `action`, `since`/`until` (epoch seconds); `limit` (default 100, max 500) and `offset` page through it.',
  request: { query: auditQuerySchema },
  responses: { 200: jsonResponse(z.array(AuditEntry), 'Matching audit entries'), ...errorResponses(400) },
})

export function auditRoutes(deps: { adminOps: AdminOps }) {
  const app = adminRouter()
  app.openapi(list, async (c) => c.json(await deps.adminOps.audit.list(c.req.query()), 200))
  return app
}
