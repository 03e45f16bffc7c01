import { auditLog } from './audit-log'
import { authzOverview } from './authz-overview'
import { consoleApi } from './console-api'
import type { Dashboard } from './model'

/** Every shipped dashboard, by its file name under infra/grafana/dashboards. */
export const DASHBOARDS: Record<string, () => Dashboard> = {
  'authz-overview.json': authzOverview,
  'console-api.json': consoleApi,
  'audit-log.json': auditLog,
}
