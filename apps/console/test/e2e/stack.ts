import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FakeAegis } from '@gatekeeper/testkit/aegis'
import { type AppProcess, startAuthz, startConsoleApi } from '@gatekeeper/testkit/apps'
import { createTestDatabase, type TestDatabase } from '@gatekeeper/testkit/postgres'
import { REDIS_URL } from '@gatekeeper/testkit/redis'
import { build } from 'vite'
import { CONSOLE_DIR } from './paths'
import { type ConsoleHost, startConsoleHost } from './static-server'

export type Stack = {
  consoleUrl: string
  consoleApiUrl: string
  authzUrl: string
  webhookSecret: string
  processes: ReadonlyArray<AppProcess>
  stop(): Promise<void>
}

/** The console exactly as shipped: `vite build` with the app's own config, into a directory of this run. */
async function buildConsole(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'gk-console-dist-'))
  await build({
    root: CONSOLE_DIR,
    configFile: join(CONSOLE_DIR, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, sourcemap: false },
  })
  return outDir
}

/**
 * Postgres (a database of its own), the fake Aegis, console-api and authz as real processes, and the
 * built console served under /console/ with /api proxied to console-api.
 */
export async function startStack(opts: { aegis: FakeAegis; adminEmail: string }): Promise<Stack> {
  const cleanups: Array<() => Promise<void>> = []
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined)
  }
  try {
    const distDir = await buildConsole()
    cleanups.push(() => rm(distDir, { recursive: true, force: true }))
    const db: TestDatabase = await createTestDatabase()
    cleanups.push(() => db.drop())

    const shared = {
      DATABASE_URL: db.url,
      REDIS_URL,
      REDIS_KEY_PREFIX: `gk-console-e2e-${randomBytes(4).toString('hex')}:`,
      GATEKEEPER_MASTER_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_MS: '1000',
    }
    const webhookSecret = `whsec_${randomBytes(16).toString('hex')}`
    const [consoleApi, authz] = await Promise.all([
      startConsoleApi({
        env: {
          ...shared,
          AEGIS_API_URL: opts.aegis.url,
          AEGIS_SITE_ID: opts.aegis.siteId,
          AEGIS_TENANT_API_KEY: opts.aegis.tenantApiKey,
          AEGIS_WEBHOOK_SECRET: webhookSecret,
          AEGIS_ADMIN_EMAILS: opts.adminEmail,
          // No positive-result cache: a token revoked at Aegis is refused on the next call (the expiry test).
          AEGIS_AUTH_CACHE_TTL_SECONDS: '0',
          SITE_NAME: 'Acme APIs',
          SITE_DOMAIN: 'acme.test',
        },
      }),
      startAuthz({
        env: {
          ...shared,
          CONFIG_POLL_INTERVAL_MS: '250',
          // Last use and usage counts reach the database within a fraction of a second (where authz records them).
          AUTHZ_USAGE_FLUSH_INTERVAL_MS: '200',
        },
      }),
    ])
    cleanups.push(
      () => consoleApi.stop(),
      () => authz.stop(),
    )
    const consoleApiUrl = consoleApi.url
    const authzUrl = authz.url

    const host: ConsoleHost = await startConsoleHost(distDir, consoleApiUrl)
    cleanups.push(() => host.close())
    return {
      consoleUrl: `${host.url}/console/`,
      consoleApiUrl,
      authzUrl,
      webhookSecret,
      processes: [consoleApi, authz],
      stop,
    }
  } catch (err) {
    await stop()
    throw err
  }
}
