// AUTHZ_WORKERS=N (N > 1; 0 means one per core): the primary forks N workers that share the listening port
// (node:cluster hands connections out round robin) and does nothing else. Each worker is a complete authz — its
// own snapshot, LISTEN connection and pools — exactly as N replicas would be: nothing is shared but Postgres
// and Redis. /metrics, answered by whichever worker gets the request, asks the primary to collect every
// worker's registry through prom-client's AggregatorRegistry (counters summed, gauges by their `aggregator`).
// Like a single process at start, a worker answers 503 until its own snapshot is loaded; so does a worker the
// primary starts again after a crash, for the second or so its load takes.

import cluster from 'node:cluster'
import { availableParallelism } from 'node:os'
import type { Logger } from 'pino'
import { AggregatorRegistry, type Registry } from 'prom-client'

const METRICS_REQUEST = 'gatekeeper:cluster-metrics-request'
const METRICS_REPLY = 'gatekeeper:cluster-metrics-reply'
const RESPAWN_DELAY_MS = 1000

export type ClusterRole = 'single' | 'primary' | 'worker'

/** How many processes AUTHZ_WORKERS asks for (0: one per core). */
export function workerCount(configured: number): number {
  return configured === 0 ? availableParallelism() : configured
}

export function clusterRole(configured: number): ClusterRole {
  if (workerCount(configured) <= 1) return 'single'
  return cluster.isPrimary ? 'primary' : 'worker'
}

interface MetricsMessage {
  type: string
  id: number
  text?: string
  error?: string
}

function isMetricsMessage(value: unknown): value is MetricsMessage {
  return typeof value === 'object' && value !== null && 'type' in value && 'id' in value
}

/** The primary: fork, re-fork a worker that dies, aggregate /metrics on request, stop everything on a signal. */
export function runClusterPrimary(options: { workers: number; logger: Logger; graceMs: number }): void {
  const { logger } = options
  const aggregator = new AggregatorRegistry()
  let stopping = false

  cluster.on('message', (worker, message: unknown) => {
    if (!isMetricsMessage(message) || message.type !== METRICS_REQUEST) return
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: METRICS_REPLY, id: message.id, text }),
      (err: unknown) => worker.send({ type: METRICS_REPLY, id: message.id, error: String(err) }),
    )
  })
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0)
      return
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'authz worker exited: starting another')
    setTimeout(() => cluster.fork(), RESPAWN_DELAY_MS).unref()
  })

  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'stopping authz workers')
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM')
    setTimeout(() => process.exit(1), options.graceMs + 10_000).unref()
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))

  for (let i = 0; i < options.workers; i++) cluster.fork()
  logger.info({ workers: options.workers }, `authz primary: ${options.workers} workers share the port`)
}

/** In a worker: what /metrics serves instead of the local registry (every worker's, aggregated). */
export function clusterMetricsText(registry: Registry): () => Promise<string> {
  // Installs prom-client's worker-side listener, which answers the primary with these registries.
  new AggregatorRegistry()
  AggregatorRegistry.setRegistries([registry])
  const pending = new Map<number, { resolve: (text: string) => void; reject: (err: Error) => void }>()
  let next = 0
  process.on('message', (message: unknown) => {
    if (!isMetricsMessage(message) || message.type !== METRICS_REPLY) return
    const waiter = pending.get(message.id)
    if (waiter === undefined) return
    pending.delete(message.id)
    if (message.text !== undefined) waiter.resolve(message.text)
    else waiter.reject(new Error(`cluster metrics: ${message.error ?? 'no reply'}`))
  })
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = next++
      const timer = setTimeout(() => {
        pending.delete(id)
        reject(new Error('cluster metrics: the primary did not answer within 5 s'))
      }, 5000)
      pending.set(id, {
        resolve: (text) => {
          clearTimeout(timer)
          resolve(text)
        },
        reject: (err) => {
          clearTimeout(timer)
          reject(err)
        },
      })
      process.send?.({ type: METRICS_REQUEST, id })
    })
}
