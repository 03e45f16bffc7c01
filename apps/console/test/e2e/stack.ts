import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestDatabase, type TestDatabase } from '@gatekeeper/db/testing'
import { build } from 'vite'
import { AUTHZ_DIR, AUTHZ_MAIN, CONSOLE_API_DIR, CONSOLE_API_MAIN, CONSOLE_DIR } from './paths'
import { type ManagedProcess, startNodeApp } from './process'
import { type ConsoleHost, startConsoleHost } from './static-server'
import { freePort, waitFor } from './wait'

export type AegisHandle = { url: string; siteId: string; tenantApiKey: string; stop(): Promise<void> }

export type Stack = {
  consoleUrl: string
  consoleApiUrl: string
  authzUrl: string
  webhookSecret: string
  processes: ReadonlyArray<ManagedProcess>
  stop(): Promise<void>
}

async function waitHealthy(proc: ManagedProcess, url: string): Promise<void> {
  await waitFor(
    `${proc.name} healthy at ${url}`,
    async () => {
      if (!proc.running) throw new Error(`${proc.name} exited:\n${proc.tail()}`)
      const answer = await fetch(url).catch(() => undefined)
      return answer?.ok ? true : undefined
    },
    60_000,
  ).catch((err: unknown) => {
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- ${proc.name} output ---\n${proc.tail()}`)
  })
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
export async function startStack(opts: { aegis: AegisHandle; adminEmail: string }): Promise<Stack> {
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
      REDIS_URL: process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: `gk-console-e2e-${randomBytes(4).toString('hex')}:`,
      GATEKEEPER_MASTER_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_MS: '1000',
    }
    const webhookSecret = `whsec_${randomBytes(16).toString('hex')}`
    const consolePort = await freePort()
    const consoleApi = startNodeApp('console-api', CONSOLE_API_MAIN, CONSOLE_API_DIR, {
      ...shared,
      CONSOLE_API_HOST: '127.0.0.1',
      CONSOLE_API_PORT: String(consolePort),
      AEGIS_API_URL: opts.aegis.url,
      AEGIS_SITE_ID: opts.aegis.siteId,
      AEGIS_TENANT_API_KEY: opts.aegis.tenantApiKey,
      AEGIS_WEBHOOK_SECRET: webhookSecret,
      AEGIS_ADMIN_EMAILS: opts.adminEmail,
      // No positive-result cache: a token revoked at Aegis is refused on the next call (the expiry test).
      AEGIS_AUTH_CACHE_TTL_SECONDS: '0',
      SITE_NAME: 'Acme APIs',
      SITE_DOMAIN: 'acme.test',
    })
    cleanups.push(() => consoleApi.stop())
    const authzPort = await freePort()
    const authz = startNodeApp('authz', AUTHZ_MAIN, AUTHZ_DIR, {
      ...shared,
      AUTHZ_HOST: '127.0.0.1',
      AUTHZ_PORT: String(authzPort),
      CONFIG_POLL_INTERVAL_MS: '250',
      // Last use and usage counts reach the database within a fraction of a second (where authz records them).
      AUTHZ_USAGE_FLUSH_INTERVAL_MS: '200',
    })
    cleanups.push(() => authz.stop())

    const consoleApiUrl = `http://127.0.0.1:${consolePort}`
    const authzUrl = `http://127.0.0.1:${authzPort}`
    await Promise.all([waitHealthy(consoleApi, `${consoleApiUrl}/health`), waitHealthy(authz, `${authzUrl}/health`)])

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
