// The real apps for the proof, as processes on loopback ports: Redis of our own (so the test can stop it),
// two authz replicas, console-api against the fake Aegis, one fresh migrated database. Started the way a
// deployment runs them from source (`node --import tsx apps/<app>/src/main.ts`).

import { randomBytes } from 'node:crypto'
import { createSealer, deriveKeyId } from '@gatekeeper/crypto'
import { type AdminOps, createAdminOps } from '@gatekeeper/db/admin'
import { createDb, type DbHandle } from '@gatekeeper/db/client'
import { type FakeAegis, startFakeAegis } from '@gatekeeper/testkit/aegis'
import { type AppOptions, type AppProcess, startAuthz, startConsoleApi } from '@gatekeeper/testkit/apps'
import { createTestDatabase, type TestDatabase } from '@gatekeeper/testkit/postgres'
import { PrivateRedis } from '@gatekeeper/testkit/redis'

export const WEBHOOK_SECRET = `whsec_${randomBytes(16).toString('hex')}`
export const ALLOWLISTED_ADMIN = 'provisioned-admin@example.com'

export interface AppProc extends AppProcess {
  /** host:port, as a Prometheus scrape target. */
  target: string
}

export interface Stack {
  db: TestDatabase
  writer: DbHandle
  admin: AdminOps
  aegis: FakeAegis
  redis: PrivateRedis
  authz: AppProc[]
  console: AppProc
  stop(): Promise<void>
}

async function startApp(start: (options: AppOptions) => Promise<AppProcess>, options: AppOptions): Promise<AppProc> {
  // Only what the proof sets: nothing from the developer's shell (a REDIS_URL, say) reaches the apps.
  const app = await start({ ...options, inheritEnv: false })
  return Object.assign(app, { target: `127.0.0.1:${app.port}` })
}

export async function startStack(): Promise<Stack> {
  const db = await createTestDatabase()
  const key = randomBytes(32)
  const masterKey = key.toString('base64')
  const writer = createDb(db.url, { max: 3, applicationName: 'obs-proof', onError: () => undefined })
  const admin = createAdminOps({ db: writer.db, sealer: createSealer({ active: { id: deriveKeyId(key), key } }) })
  const aegis = await startFakeAegis()
  const redis = await PrivateRedis.start()
  const started: AppProc[] = []
  const stopAll = async () => {
    await Promise.all(started.map((a) => a.stop()))
    await redis.stop()
    await aegis.stop()
    await writer.close()
    await db.drop()
  }
  try {
    const common = { DATABASE_URL: db.url, GATEKEEPER_MASTER_KEY: masterKey, LOG_LEVEL: 'info', NODE_ENV: 'production' }
    for (const name of ['authz-1', 'authz-2']) {
      const env = {
        ...common,
        REDIS_URL: `${redis.url}/0`,
        REDIS_TIMEOUT_MS: '50',
        CONFIG_POLL_INTERVAL_MS: '1000',
        SHUTDOWN_GRACE_MS: '1000',
      }
      started.push(await startApp(startAuthz, { name, env }))
    }
    const consoleApi = await startApp(startConsoleApi, {
      env: {
        ...common,
        AEGIS_API_URL: aegis.url,
        AEGIS_SITE_ID: aegis.siteId,
        AEGIS_TENANT_API_KEY: aegis.tenantApiKey,
        AEGIS_WEBHOOK_SECRET: WEBHOOK_SECRET,
        AEGIS_ADMIN_EMAILS: ALLOWLISTED_ADMIN,
        AEGIS_TIMEOUT_MS: '500',
        SHUTDOWN_GRACE_MS: '1000',
      },
    })
    started.push(consoleApi)
    return {
      db,
      writer,
      admin,
      aegis,
      redis,
      authz: started.filter((a) => a.name.startsWith('authz')),
      console: consoleApi,
      stop: stopAll,
    }
  } catch (err) {
    await stopAll()
    throw err
  }
}
