// The real apps for the proof, as processes on loopback ports: Redis of our own (so the test can stop it),
// two authz replicas, console-api against a fake Aegis, one fresh migrated database. Started the way a
// deployment runs them from source (`node --import tsx apps/<app>/src/main.ts`).

import { randomBytes } from 'node:crypto'
import { createSealer, deriveKeyId } from '@gatekeeper/crypto'
import { type AdminOps, createAdminOps } from '@gatekeeper/db/admin'
import { createDb, type DbHandle } from '@gatekeeper/db/client'
import { createTestDatabase, type TestDatabase } from '@gatekeeper/db/testing'
import { repoRoot } from '../repo'
import { type FakeAegis, startFakeAegis } from './fake-aegis'
import { freePort, httpOk, type Proc, startProc, waitUntil } from './proc'

export const WEBHOOK_SECRET = `whsec_${randomBytes(16).toString('hex')}`
export const ALLOWLISTED_ADMIN = 'provisioned-admin@example.com'

export interface AppProc {
  name: string
  url: string
  target: string
  proc: Proc
}

export interface Stack {
  db: TestDatabase
  writer: DbHandle
  admin: AdminOps
  aegis: FakeAegis
  redis: { port: number; proc: Proc }
  authz: AppProc[]
  console: AppProc
  restartRedis(): Promise<void>
  stop(): Promise<void>
}

async function startRedis(port: number): Promise<Proc> {
  const proc = startProc('redis', 'redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
  ])
  await waitUntil(
    'redis',
    async () => {
      const { Redis } = await import('ioredis')
      const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 })
      client.on('error', () => undefined)
      try {
        await client.connect()
        return (await client.ping()) === 'PONG'
      } finally {
        client.disconnect()
      }
    },
    { timeoutMs: 10_000, describe: proc.stderr },
  )
  return proc
}

async function startApp(name: string, entry: string, env: Record<string, string>, port: number): Promise<AppProc> {
  const proc = startProc(name, process.execPath, ['--import', 'tsx', entry], { cwd: repoRoot(), env })
  const url = `http://127.0.0.1:${port}`
  await waitUntil(`${name} /health`, () => httpOk(`${url}/health`), {
    timeoutMs: 60_000,
    describe: () => `${proc.stderr()}\n${proc.stdout.slice(-5).join('\n')}`,
  })
  return { name, url, target: `127.0.0.1:${port}`, proc }
}

export async function startStack(): Promise<Stack> {
  const db = await createTestDatabase()
  const key = randomBytes(32)
  const masterKey = key.toString('base64')
  const writer = createDb(db.url, { max: 3, applicationName: 'obs-proof', onError: () => undefined })
  const admin = createAdminOps({ db: writer.db, sealer: createSealer({ active: { id: deriveKeyId(key), key } }) })
  const aegis = await startFakeAegis()
  const redisPort = await freePort()
  const redis = { port: redisPort, proc: await startRedis(redisPort) }
  const started: AppProc[] = []
  try {
    const common = { DATABASE_URL: db.url, GATEKEEPER_MASTER_KEY: masterKey, LOG_LEVEL: 'info', NODE_ENV: 'production' }
    for (const name of ['authz-1', 'authz-2']) {
      const port = await freePort()
      const env = {
        ...common,
        AUTHZ_PORT: String(port),
        AUTHZ_HOST: '127.0.0.1',
        REDIS_URL: `redis://127.0.0.1:${redisPort}/0`,
        REDIS_TIMEOUT_MS: '50',
        CONFIG_POLL_INTERVAL_MS: '1000',
        SHUTDOWN_GRACE_MS: '1000',
      }
      started.push(await startApp(name, 'apps/authz/src/main.ts', env, port))
    }
    const consolePort = await freePort()
    const consoleApi = await startApp(
      'console-api',
      'apps/console-api/src/main.ts',
      {
        ...common,
        CONSOLE_API_PORT: String(consolePort),
        CONSOLE_API_HOST: '127.0.0.1',
        AEGIS_API_URL: aegis.url,
        AEGIS_SITE_ID: 'site-1',
        AEGIS_TENANT_API_KEY: 'tenant-key',
        AEGIS_WEBHOOK_SECRET: WEBHOOK_SECRET,
        AEGIS_ADMIN_EMAILS: ALLOWLISTED_ADMIN,
        AEGIS_TIMEOUT_MS: '500',
        SHUTDOWN_GRACE_MS: '1000',
      },
      consolePort,
    )
    started.push(consoleApi)
    return {
      db,
      writer,
      admin,
      aegis,
      redis,
      authz: started.filter((a) => a.name.startsWith('authz')),
      console: consoleApi,
      async restartRedis() {
        await redis.proc.stop()
        redis.proc = await startRedis(redisPort)
      },
      async stop() {
        await Promise.all(started.map((a) => a.proc.stop()))
        await redis.proc.stop()
        await aegis.close()
        await writer.close()
        await db.drop()
      },
    }
  } catch (err) {
    await Promise.all(started.map((a) => a.proc.stop()))
    await redis.proc.stop()
    await aegis.close()
    await writer.close()
    await db.drop()
    throw err
  }
}
