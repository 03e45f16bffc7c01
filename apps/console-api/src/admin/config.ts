import type { AdminOps } from '@gatekeeper/db/admin'
import { POSITIONAL_PARSE_LIMIT_BYTES } from '@gatekeeper/db/config-as-code'
import {
  ApiError,
  type ConfigFormat,
  configApplyQuerySchema,
  configApplyResponseSchema,
  configChangeSetDetailSchema,
  configChangeSetEntriesQuerySchema,
  configChangeSetListSchema,
  configChangeSetQuerySchema,
  configExportQuerySchema,
  configPlanQuerySchema,
  configPlanResponseSchema,
} from '@gatekeeper/models'
import type { Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { AuthCache } from '../aegis/auth-cache'
import type { AppEnv } from '../context'
import type { Metrics } from '../metrics'
import { actorOf, adminRouter } from './kit'
import { adminOperations, errorResponses, idParam, jsonResponse, named } from './operations'

/** The paths that take a configuration file as their body. */
export const CONFIG_FILE_PATHS = new Set(['/api/admin/config/plan', '/api/admin/config/apply'])

/** A whole configuration (10,000 clients and their grants is a few MiB): more room than other admin bodies. */
const CONFIG_BODY_LIMIT_BYTES = 16 * 1024 * 1024

const operation = adminOperations('configuration as code')
const YAML_TYPES = new Set(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml', 'text/plain'])

const fileBody = {
  required: true,
  description:
    'The configuration file (docs/config-as-code.md), as sent with its Content-Type: `application/json` (up to ' +
    '16 MiB), or YAML (`application/yaml`, `text/yaml`, `text/plain`; up to 256 KiB, a larger file is a 413: send ' +
    'it as JSON). Schema: docs/gatekeeper-config.schema.json.',
  content: {
    // Plain schema objects, not zod: the handler reads the text itself, so problems come back with line and column.
    'application/yaml': { schema: { type: 'string' as const, description: 'The file as YAML' } },
    'application/json': {
      schema: { type: 'object' as const, description: 'The file as JSON (gatekeeper-config.schema.json)' },
    },
  },
}

const exportRoute = operation('get', '/export', {
  summary: 'Export the live configuration as a file',
  description:
    'YAML by default; JSON with `?format=json` or `Accept: application/json` (`?format` wins). Deterministic: the ' +
    'same state gives the same bytes. Headers: `Gatekeeper-Config-Version` and `Gatekeeper-Config-Fingerprint` of ' +
    'the state exported. Never any secret.',
  request: { query: configExportQuerySchema },
  responses: {
    200: {
      description: 'The file',
      content: {
        'application/yaml': { schema: { type: 'string' as const } },
        'application/json': { schema: { type: 'object' as const } },
      },
    },
    ...errorResponses(400),
  },
})

const planRoute = operation('post', '/plan', {
  summary: 'Plan a configuration file against the live state (read scope)',
  description:
    'What `gatekeeper diff` shows: creates, field-by-field updates and (with `?prune=true`) deletes. Answers the ' +
    '`config_version` and `fingerprint` to pass to apply. Writes nothing. An invalid file is a 400 whose `details` ' +
    'carry each problem with its `path`, `line` and `column`.',
  request: { query: configPlanQuerySchema, body: fileBody },
  responses: {
    200: jsonResponse(named(configPlanResponseSchema, 'ConfigPlan'), 'The plan'),
    ...errorResponses(400, 409, 413),
  },
})

const applyRoute = operation('post', '/apply', {
  summary: 'Apply a configuration file (write scope)',
  description:
    'Makes the live state match the file in one transaction and one config version, only if the live state is ' +
    'still the planned one: `expected_version` and/or `expected_fingerprint` (from plan; at least one) — else 412 ' +
    'and nothing written. `?prune=true` deletes what the file does not name. Every change is audited under the ' +
    'change-set id. New clients\u2019 credentials are in this answer only.',
  request: { query: configApplyQuerySchema, body: fileBody },
  responses: {
    200: jsonResponse(named(configApplyResponseSchema, 'ConfigApplyResult'), 'Applied (or nothing to change)'),
    ...errorResponses(400, 409, 412, 413),
  },
})

const listRoute = operation('get', '/changesets', {
  summary: 'List applied change sets',
  description: 'Newest first; `limit` (default 50, max 500) and `cursor` (the previous answer\u2019s `next_cursor`).',
  request: { query: configChangeSetQuerySchema },
  responses: {
    200: jsonResponse(named(configChangeSetListSchema, 'ConfigChangeSetList'), 'A page of change sets'),
    ...errorResponses(400),
  },
})

const getRoute = operation('get', '/changesets/{changeset_id}', {
  summary: 'Read one change set and its audit entries',
  description:
    'Entries in the order the apply wrote them, as `GET /api/admin/audit` shows them; `limit` (default 1000) and ' +
    '`offset` page a large one, `entries_total` counts them all.',
  request: { params: idParam('changeset_id'), query: configChangeSetEntriesQuerySchema },
  responses: {
    200: jsonResponse(named(configChangeSetDetailSchema, 'ConfigChangeSet'), 'The change set'),
    ...errorResponses(400, 404),
  },
})

function exportFormat(c: Context<AppEnv>): ConfigFormat {
  const query = configExportQuerySchema.safeParse(c.req.query())
  if (!query.success) throw ApiError.validation(query.error)
  if (query.data.format !== undefined) return query.data.format
  const accept = (c.req.header('accept') ?? '').toLowerCase()
  return accept.includes('application/json') && !accept.includes('yaml') ? 'json' : 'yaml'
}

/**
 * The body as file text and how to read it. JSON is read with JSON.parse; YAML by the positional reader, which is
 * slow (a 16 MiB file would hold the event loop for half a minute), so a YAML body is refused past its limit.
 */
async function requestFile(c: Context<AppEnv>): Promise<{ text: string; format: ConfigFormat }> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  if (type === 'application/json') return { text: await c.req.text(), format: 'json' }
  if (!YAML_TYPES.has(type)) {
    throw ApiError.badRequest(
      'send the configuration file with Content-Type application/json or application/yaml (text/yaml, text/plain)',
    )
  }
  const text = await c.req.text()
  if (Buffer.byteLength(text) > POSITIONAL_PARSE_LIMIT_BYTES) {
    throw ApiError.payloadTooLarge(
      `a YAML configuration file may be at most ${POSITIONAL_PARSE_LIMIT_BYTES / 1024} KiB; send a larger one as JSON ` +
        `(Content-Type: application/json, up to ${CONFIG_BODY_LIMIT_BYTES / 1024 / 1024} MiB)`,
    )
  }
  return { text, format: 'yaml' }
}

export function configRoutes(deps: { adminOps: AdminOps; metrics: Metrics; cache: AuthCache }) {
  const ops = deps.adminOps.config
  const app = adminRouter()
  // On every path of this sub-app (a middleware on a concrete path would look like a handler of its own); the
  // admin API's 1 MiB limit is skipped for the two paths that take a file.
  app.use('*', bodyLimit({ maxSize: CONFIG_BODY_LIMIT_BYTES, onError: () => tooLarge() }))

  app.openapi(exportRoute, async (c) => {
    const format = exportFormat(c)
    const exported = await ops.export(format)
    c.header('Gatekeeper-Config-Version', String(exported.version))
    c.header('Gatekeeper-Config-Fingerprint', exported.fingerprint)
    c.header('Content-Type', format === 'json' ? 'application/json; charset=utf-8' : 'application/yaml; charset=utf-8')
    return c.body(exported.text, 200) as never
  })

  app.openapi(planRoute, async (c) => {
    const query = configPlanQuerySchema.parse(c.req.query())
    const file = await requestFile(c)
    return c.json(await ops.plan(file.text, { prune: query.prune, format: file.format }), 200)
  })

  app.openapi(applyRoute, async (c) => {
    const query = configApplyQuerySchema.parse(c.req.query())
    const actor = actorOf(c)
    const file = await requestFile(c)
    const result = await ops.apply(actor, file.text, {
      prune: query.prune,
      format: file.format,
      expectedVersion: query.expected_version,
      expectedFingerprint: query.expected_fingerprint,
      // A console admin cannot sign themselves out of the console by a file that no longer names them.
      ...(actor.actorType === 'console_admin' ? { keepAdminEmail: actor.actor } : {}),
    })
    if (result.applied) {
      deps.metrics.adminActions.inc({ action: 'config.apply' })
      // Removed console admins lose access at once, as with DELETE /admins/{id}.
      if (result.plan.changes.some((ch) => ch.kind === 'console_admin' && ch.action === 'delete')) deps.cache.clear()
    }
    return c.json(result, 200)
  })

  app.openapi(listRoute, async (c) => c.json(await ops.changesets.list(c.req.query()), 200))
  app.openapi(getRoute, async (c) => c.json(await ops.changesets.get(c.req.param('changeset_id'), c.req.query()), 200))
  return app
}

function tooLarge(): never {
  throw ApiError.payloadTooLarge(`a configuration file may be at most ${CONFIG_BODY_LIMIT_BYTES / 1024 / 1024} MiB`)
}
