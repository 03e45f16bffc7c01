import { sealerFromConfig } from '@gatekeeper/crypto'
import { createAdminOps } from '@gatekeeper/db/admin'
import { createDb } from '@gatekeeper/db/client'
import { listenFailure } from '@gatekeeper/models/env'
import { serve } from '@hono/node-server'
import { Registry } from 'prom-client'
import { aegisClientFromConfig } from './aegis/client'
import { createApp } from './app'
import { systemClock } from './app-deps'
import { type ConsoleConfig, loadConsoleConfig, MAX_AUTH_CACHE_TTL_SECONDS } from './config'
import { createLogger } from './logger'
import { createMetrics } from './metrics'
import { createAuthThrottleStore, createUsageReader } from './usage'

function fail(message: string): never {
  process.stderr.write(`${message}\n`)
  process.exit(1)
}

function readConfig(): ConsoleConfig {
  try {
    return loadConsoleConfig(process.env)
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err))
  }
}

const config = readConfig()
const logger = createLogger({ level: config.logLevel })
const sealed = sealerFromConfig(config.masterKey)
if (!sealed.ok) fail(`console-api: invalid environment:\n  ${sealed.error}`)

const db = createDb(config.databaseUrl, {
  max: 5,
  applicationName: 'gatekeeper-console-api',
  statementTimeoutMs: 15_000,
  onError: (err) => logger.warn({ err: { name: err.name, message: err.message } }, 'database pool error'),
})
const metrics = createMetrics(new Registry())
const usage = createUsageReader({ redisUrl: config.redisUrl, keyPrefix: config.redisKeyPrefix, logger })
const throttleStore = createAuthThrottleStore({ redisUrl: config.redisUrl, keyPrefix: config.redisKeyPrefix, logger })
const app = createApp({
  config,
  db,
  adminOps: createAdminOps({ db: db.db, sealer: sealed.sealer }),
  aegis: aegisClientFromConfig(config.aegis, metrics),
  usage: usage.reader,
  logger,
  metrics,
  clock: systemClock,
  ...(throttleStore === undefined ? {} : { authThrottleStore: throttleStore }),
})

if (Number(process.env.AEGIS_AUTH_CACHE_TTL_SECONDS) > MAX_AUTH_CACHE_TTL_SECONDS) {
  logger.warn(
    { configured: Number(process.env.AEGIS_AUTH_CACHE_TTL_SECONDS), used: MAX_AUTH_CACHE_TTL_SECONDS },
    'AEGIS_AUTH_CACHE_TTL_SECONDS capped: a token Aegis revokes is accepted here for at most the cache TTL',
  )
}

// Failing to listen (the port is taken, say) is one line naming the setting, not an unhandled 'error' event.
const onListenError = (err: Error) => fail(`console-api: failed to start: ${listenFailure(err, 'CONSOLE_API_PORT')}`)
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  server.off('error', onListenError)
  logger.info(
    { port: info.port, host: config.host, aegis: config.aegis.apiUrl === undefined ? 'not configured' : 'configured' },
    'console-api listening',
  )
})
server.once('error', onListenError)

let stopping = false
async function shutdown(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  logger.info({ signal, grace_ms: config.shutdownGraceMs }, 'console-api stopping')
  // Stop accepting; requests in flight finish. A keep-alive socket that goes idle after its last
  // response would otherwise hold close() open until the client drops it, so idle sockets are closed
  // as they appear; whatever is still busy when the grace period ends is cut.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()))
  const reaper = setInterval(() => {
    if ('closeIdleConnections' in server) server.closeIdleConnections()
  }, 50)
  const grace = new Promise<void>((resolve) => setTimeout(resolve, config.shutdownGraceMs).unref())
  await Promise.race([closed, grace])
  clearInterval(reaper)
  if ('closeAllConnections' in server) server.closeAllConnections()
  await Promise.allSettled([db.close(), usage.close(), throttleStore?.close()])
  logger.info('console-api stopped')
  process.exit(0)
}

process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
