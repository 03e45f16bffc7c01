import type { Sealer } from '@gatekeeper/crypto'
import type { AuditEntryWire } from '@gatekeeper/models'
import { type ConfigOps, configOps } from '../config-as-code/ops'
import { type AdminTokenOps, adminTokenOps } from './admin-tokens'
import { type ConsoleAdminOps, consoleAdminOps } from './admins'
import { listAudit } from './audit'
import { type ClientOps, clientOps } from './clients'
import { type CredentialInput, insertCredentialRows } from './credentials'
import { type PermissionOps, permissionOps } from './permissions'
import { type RateLimitOps, rateLimitOps } from './rate-limits'
import { type RouteOps, routeOps } from './routes'
import { reading } from './tx'
import type { AdminDatabase, AdminTx } from './types'

export type AdminOpsDeps = {
  /** createDb(...).db, or any drizzle Postgres database over the same schema. */
  db: AdminDatabase
  /** Seals new shared secrets (createSealer / sealerFromConfig from @gatekeeper/crypto). */
  sealer: Sealer
  /** The clock for credential expiry (rotation grace); row timestamps come from the database. */
  now?: () => Date
}

export type AdminOps = {
  routes: RouteOps
  clients: ClientOps
  permissions: PermissionOps
  rateLimits: RateLimitOps
  admins: ConsoleAdminOps
  /** Admin API tokens and local sign-in (console-api authenticates with these; the CLI creates them). */
  tokens: AdminTokenOps
  audit: {
    /** auditQuerySchema: `{actor?, entity_type?, entity_id?, action?, since?, until?, limit?, offset?}`, newest first. */
    list(query?: unknown): Promise<AuditEntryWire[]>
  }
  /** insertCredentialRows bound to this sealer, for writes composed elsewhere (import-original). */
  insertCredentialRows(tx: AdminTx, clientId: string, input: CredentialInput): Promise<void>
  /** Configuration files: export, plan and apply the whole configuration, and the applied change sets. */
  config: ConfigOps
}

/**
 * The control-plane operations console-api and the CLI share: the same validation (shared zod
 * schemas), the same errors (ApiError), and every write committed together with its audit row.
 */
export function createAdminOps(deps: AdminOpsDeps): AdminOps {
  const { db, sealer } = deps
  const now = deps.now ?? (() => new Date())
  return {
    routes: routeOps(db),
    clients: clientOps({ db, sealer, now }),
    permissions: permissionOps(db),
    rateLimits: rateLimitOps(db),
    admins: consoleAdminOps(db),
    tokens: adminTokenOps(db),
    audit: { list: (query) => reading(() => listAudit(db, query)) },
    insertCredentialRows: (tx, clientId, input) => insertCredentialRows(tx, sealer, clientId, input),
    config: configOps({ db, sealer }),
  }
}
