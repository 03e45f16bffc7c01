// AUTHZ_WORKERS: the primary forks that many workers sharing one port, each a full authz; /metrics, answered by
// any worker, counts every worker's decisions; SIGTERM to the primary stops them all.

import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { request } from 'node:http'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { authzEnv, eventually, original, publicRoute, useWorld } from './harness'

const appDir = fileURLToPath(new URL('..', import.meta.url))
const world = useWorld()

function children(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim()
    return text === '' ? [] : text.split(/\s+/).map(Number)
  } catch {
    return []
  }
}

/** One request on a fresh connection (cluster spreads connections, not requests, over the workers). */
function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        body += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** The value of an unlabelled line, e.g. a histogram's `_count`. */
function lineValue(metrics: string, name: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(`${name} `))
  return line === undefined ? Number.NaN : Number(line.slice(name.length + 1))
}

const LATENCY = 'gatekeeper_authz_decision_duration_seconds'

function allowedFor(metrics: string, routeId: string): number {
  let sum = 0
  for (const line of metrics.split('\n')) {
    if (line.startsWith('gatekeeper_authz_decisions_total{') && line.includes(`route="${routeId}"`)) {
      sum += Number(line.slice(line.lastIndexOf(' ') + 1))
    }
  }
  return sum
}

describe('AUTHZ_WORKERS=2', () => {
  it('serves from two workers, aggregates /metrics across them and stops them all on SIGTERM', async () => {
    const route = await publicRoute(world.admin, '/open/*', 'open')
    const host = route.domain
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: appDir,
      env: {
        PATH: process.env.PATH ?? '',
        ...authzEnv(world, { AUTHZ_WORKERS: '2', AUDIT_LOG: 'false', SHUTDOWN_GRACE_MS: '1000' }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const ports = new Set<number>()
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      for (const match of output.matchAll(/"port":(\d+)/g)) ports.add(Number(match[1]))
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    try {
      const pid = child.pid ?? -1
      await eventually(async () => children(pid).length === 2 && ports.size > 0, 30_000, 50)
      // Workers listening on port 0 share the primary's one random port.
      expect(ports.size).toBe(1)
      const port = [...ports][0] ?? 0
      const headers = original('GET', host, '/open/x')
      // Each worker answers 503 until its own snapshot is loaded. The aggregated readiness gauge takes the
      // least ready worker (aggregator 'min'; a sum would read 1 with one worker ready), so 1 means both are.
      await eventually(async () => /^gatekeeper_authz_ready 1$/m.test((await get(port, '/metrics')).body), 20_000, 50)
      expect((await get(port, '/authz', headers)).status).toBe(200)

      const first = (await get(port, '/metrics')).body
      const before = allowedFor(first, route.route_id)
      const latencyBefore = lineValue(first, `${LATENCY}_count`)
      const slowBefore = lineValue(first, `${LATENCY}_bucket{le="+Inf"}`)
      for (let i = 0; i < 20; i++) expect((await get(port, '/authz', headers)).status).toBe(200)
      // Whichever worker answers /metrics, it reports both workers' decisions, in the counter and the latency
      // histogram alike (its +Inf bucket counts every decision).
      for (let i = 0; i < 4; i++) {
        const body = (await get(port, '/metrics')).body
        expect(allowedFor(body, route.route_id) - before).toBe(20)
        expect(lineValue(body, `${LATENCY}_count`) - latencyBefore).toBe(20)
        expect(lineValue(body, `${LATENCY}_bucket{le="+Inf"}`) - slowBefore).toBe(20)
      }

      const workers = children(pid)
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
      for (const worker of workers) expect(() => process.kill(worker, 0)).toThrow()
    } finally {
      child.kill('SIGKILL')
    }
  }, 60_000)
})
