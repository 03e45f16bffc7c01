// '@gatekeeper/db/admin': control-plane operations for console-api and the gatekeeper CLI.
export type {
  AdminTokenCheck,
  AdminTokenIdentity,
  AdminTokenOps,
  LocalSession,
} from './admin-tokens'
export { adminTokenOps, adminTokenWire, LOCAL_ADMIN_NAME } from './admin-tokens'
export type { AegisIdentity, AegisWebhookUser, ConsoleAdminOps } from './admins'
export { WEBHOOK_ACTOR } from './admins'
export type { AuditAction, AuditInput } from './audit'
export { writeAudit, writeAuditMany } from './audit'
export type { ClientOps, ClientRemoved, ClientRotated } from './clients'
export type { CredentialInput } from './credentials'
export { credentialRows, insertCredentialRows } from './credentials'
export { AdminDatabaseError, toApiError } from './errors'
export type { AdminOps, AdminOpsDeps } from './ops'
export { createAdminOps } from './ops'
export type { PermissionGranted, PermissionOps } from './permissions'
export type { RateLimitOps } from './rate-limits'
export type { RouteOps, RouteRemoved } from './routes'
export { inTransaction, lockConfigWriters } from './tx'
export type { Actor, AdminDatabase, AdminTx, Cascaded } from './types'
export { findClientView, findPermissionView } from './views'
export type { ClientView, PermissionView, PermissionWireWithVersion } from './wire'
export {
  auditEntryWire,
  clientWire,
  consoleAdminWire,
  epochSeconds,
  methodsWire,
  permissionWire,
  rateLimitWire,
  routeWire,
} from './wire'
