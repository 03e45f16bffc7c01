// The authz process: parse the environment (the only place process.env is read), start, and shut down
// gracefully on SIGTERM/SIGINT within SHUTDOWN_GRACE_MS.

import { listenFailure } from '@gatekeeper/models/env'
import { createLogger } from './audit'
import { clusterMetricsText, clusterRole, runClusterPrimary, workerCount } from './cluster'
import { loadAuthzConfig } from './config'
import { startAuthz } from './server'

async function main(): Promise<void> {
  let config: ReturnType<typeof loadAuthzConfig>
  try {
    config = loadAuthzConfig(process.env)
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`)
    process.exit(1)
  }
  const role = clusterRole(config.workers)
  if (role === 'primary') {
    const { logger } = createLogger({ level: config.logLevel })
    runClusterPrimary({ workers: workerCount(config.workers), logger, graceMs: config.shutdownGraceMs })
    return
  }
  const authz = await startAuthz(config, role === 'worker' ? { metricsText: clusterMetricsText } : {})
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    authz.logger.info({ signal }, 'shutting down')
    // Whatever happens, exit within the grace period plus a margin for closing pools and flushing logs.
    setTimeout(() => process.exit(1), config.shutdownGraceMs + 5000).unref()
    authz.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}

main().catch((err: unknown) => {
  process.stderr.write(`authz: failed to start: ${listenFailure(err, 'AUTHZ_PORT')}\n`)
  process.exit(1)
})
