import { randomBytes } from 'node:crypto'
import { createSealer } from '@gatekeeper/crypto'
import { createAdminOps } from '@gatekeeper/db/admin'
import { createDb, type DbHandle } from '@gatekeeper/db/client'
import { Registry } from 'prom-client'
import { aegisClientFromConfig } from '../../src/aegis/client'
import { type ConsoleApp, createApp } from '../../src/app'
import { loadConsoleConfig } from '../../src/config'
import { createLogger } from '../../src/logger'
import { createMetrics } from '../../src/metrics'

// console-api's real app with dependencies that are never reached by what this suite asks of it: a database
// pool pointed at a closed port (opened lazily, never used: every request here is refused before any query) and
// Aegis unconfigured unless a URL is given. Building the app and its OpenAPI document does no I/O.

export interface OfflineConsole {
  app: ConsoleApp
  close(): Promise<void>
}

export function offlineConsoleApp(options: { aegisUrl?: string } = {}): OfflineConsole {
  const config = loadConsoleConfig({
    DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
    GATEKEEPER_MASTER_KEY: randomBytes(32).toString('base64'),
    AEGIS_API_URL: options.aegisUrl,
    AEGIS_TENANT_API_KEY: options.aegisUrl === undefined ? undefined : 'tenant',
    AEGIS_TIMEOUT_MS: '500',
  })
  const db: DbHandle = createDb(config.databaseUrl)
  const metrics = createMetrics(new Registry(), { defaultMetrics: false })
  const app = createApp({
    config,
    db,
    adminOps: createAdminOps({ db: db.db, sealer: createSealer({ active: { id: 'k', key: randomBytes(32) } }) }),
    aegis: aegisClientFromConfig(config.aegis, metrics),
    usage: { usage: () => Promise.reject(new Error('not used by these tests')) },
    logger: createLogger({ level: 'silent' }),
    metrics,
    clock: { now: () => Date.now() },
  })
  return { app, close: () => db.close() }
}
