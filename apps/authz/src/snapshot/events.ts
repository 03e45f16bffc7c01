// Snapshot manager events -> log lines and metrics, in one place.

import { pgErrorOf } from '@gatekeeper/db'
import type { Logger } from 'pino'
import type { Metrics } from '../metrics'
import type { SnapshotEvents } from './manager'

export function snapshotEvents(logger: Logger, metrics: Metrics): SnapshotEvents {
  let listenerWasDown = false
  return {
    reloaded(info) {
      metrics.reload(info.trigger, info.durationMs / 1000, true)
      logger.info(
        {
          trigger: info.trigger,
          version: info.version,
          duration_ms: Math.round(info.durationMs),
          routes: info.stats.routes,
          clients: info.stats.clients,
          credentials: info.stats.credentials,
          permissions: info.stats.permissions,
          rate_limits: info.stats.rateLimits,
          skipped_credentials: info.skippedCredentials,
          invalid_routes: info.invalidRoutes,
        },
        'config snapshot loaded',
      )
    },
    reloadFailed(info) {
      metrics.reload(info.trigger, 0, false)
      metrics.error('snapshot_load')
      // undefined_table: the database was never migrated.
      const hint =
        pgErrorOf(info.err)?.code === '42P01'
          ? 'the database has no Gatekeeper tables: run `gatekeeper db migrate` with this DATABASE_URL'
          : undefined
      logger.warn(
        { trigger: info.trigger, err: info.err.message, retry_in_ms: info.retryInMs, hint },
        'config snapshot load failed',
      )
    },
    notification(info) {
      metrics.notification(info.result, info.lagMs === undefined ? undefined : info.lagMs / 1000)
      if (info.result === 'failed' || info.result === 'invalid') metrics.error('notification_apply')
      if (info.result === 'applied') {
        // Debug only: one line per change per replica (the scale script times propagation from these).
        logger.debug(
          {
            table: info.table,
            version: info.version,
            lag_ms: info.lagMs === undefined ? undefined : Math.round(info.lagMs * 10) / 10,
          },
          'config change applied',
        )
      }
      if (info.result === 'gap' || info.result === 'invalid' || info.result === 'failed') {
        logger.info({ result: info.result, table: info.table }, 'config notification not applicable: full reload')
      }
    },
    credentialSkipped(info) {
      metrics.error('credential_skipped')
      logger.warn({ credential_id: info.id, client_id: info.clientId, reason: info.reason }, 'credential skipped')
    },
    routeRejected(info) {
      metrics.error('route_rejected')
      logger.warn({ route_id: info.id, reason: info.reason }, 'route cannot be honoured: left out')
    },
    listener(info) {
      if (info.up) {
        if (listenerWasDown) logger.info('config listener reconnected')
        listenerWasDown = false
        return
      }
      metrics.error('listener')
      // One line per outage, then quiet retries.
      if (!listenerWasDown) {
        logger.warn(
          { err: info.err?.message, retry_in_ms: info.retryInMs },
          'config listener lost: deciding from the last snapshot, reconnecting',
        )
      }
      listenerWasDown = true
    },
    versionCheckFailed(info) {
      metrics.error('version_check')
      logger.warn({ err: info.err.message }, 'config version check failed')
    },
  }
}
