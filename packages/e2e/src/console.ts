import { send } from './http'
import { CONSOLE_API_DIR, CONSOLE_API_MAIN } from './paths'
import { freePort, waitFor } from './ports'
import { type ManagedProcess, startProcess } from './process'

// The real console-api (apps/console-api/src/main.ts under tsx) on a loopback port, signing admins in against
// console-api's own fake Aegis (apps/console-api/test/fake-aegis.ts, the contract its suites are held to).

export interface ConsoleApiOptions {
  databaseUrl: string
  redisUrl: string
  redisKeyPrefix: string
  masterKey: string
  aegis: { url: string; tenantApiKey: string; siteId: string }
}

export interface ConsoleApi {
  port: number
  process: ManagedProcess
  stop(): Promise<void>
}

export async function startConsoleApi(options: ConsoleApiOptions): Promise<ConsoleApi> {
  const port = await freePort()
  const child = startProcess({
    name: 'console-api',
    command: process.execPath,
    args: ['--import', 'tsx', CONSOLE_API_MAIN],
    cwd: CONSOLE_API_DIR,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl,
      REDIS_KEY_PREFIX: options.redisKeyPrefix,
      GATEKEEPER_MASTER_KEY: options.masterKey,
      CONSOLE_API_HOST: '127.0.0.1',
      CONSOLE_API_PORT: String(port),
      AEGIS_API_URL: options.aegis.url,
      AEGIS_TENANT_API_KEY: options.aegis.tenantApiKey,
      AEGIS_SITE_ID: options.aegis.siteId,
      SITE_NAME: 'gatekeeper e2e',
      SITE_DOMAIN: 'console.example.com',
      LOG_LEVEL: 'warn',
      SHUTDOWN_GRACE_MS: '1000',
    },
  })
  await waitFor(
    `console-api ready on port ${port}`,
    async () => {
      if (!child.running) throw new Error(`console-api exited:\n${child.tail()}`)
      const reply = await send({ port, path: '/health', headers: { Host: 'localhost' }, timeoutMs: 2000 })
      return reply.status === 200 ? true : undefined
    },
    60_000,
  ).catch(async (err: unknown) => {
    await child.stop(1000)
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- console-api output ---\n${child.tail()}`)
  })
  return { port, process: child, stop: () => child.stop(3000) }
}
