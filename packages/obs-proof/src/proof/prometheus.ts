// A real Prometheus (Debian's `prometheus`, 2.42) with the shipped scrape jobs and rule files: the jobs keep
// their names and paths, only service discovery becomes static targets on loopback ports, and everything
// runs every second so a short test has data.

import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { httpOk } from '@gatekeeper/testkit/http'
import { repoPath } from '@gatekeeper/testkit/paths'
import { freePort, waitUntil } from '@gatekeeper/testkit/ports'
import { type ManagedProcess, startProcess } from '@gatekeeper/testkit/process'
import { parse, stringify } from 'yaml'
import { RULES_DIR, ruleFiles } from '../expressions'

interface ScrapeJob {
  job_name: string
  metrics_path?: string
}

export interface PromResult {
  status: 'success' | 'error'
  error?: string
  data?: { resultType: string; result: Array<{ metric: Record<string, string>; value?: [number, string] }> }
}

export interface RunningPrometheus {
  url: string
  proc: ManagedProcess
  query(expr: string): Promise<PromResult>
}

export async function startPrometheus(dir: string, targets: Record<string, string[]>): Promise<RunningPrometheus> {
  const shipped = parse(readFileSync(repoPath('infra/prometheus/prometheus.yml'), 'utf8')) as {
    scrape_configs: ScrapeJob[]
  }
  const port = await freePort()
  const rulesDir = join(dir, 'rules')
  mkdirSync(rulesDir, { recursive: true })
  for (const file of ruleFiles()) copyFileSync(repoPath(RULES_DIR, file), join(rulesDir, file))
  const scrapeConfigs = shipped.scrape_configs.map((job) => {
    const jobTargets = job.job_name === 'prometheus' ? [`127.0.0.1:${port}`] : targets[job.job_name]
    if (jobTargets === undefined) throw new Error(`no targets for shipped scrape job ${job.job_name}`)
    return {
      job_name: job.job_name,
      metrics_path: job.metrics_path ?? '/metrics',
      static_configs: [{ targets: jobTargets }],
    }
  })
  const config = {
    global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    rule_files: [join(rulesDir, '*.yml')],
    scrape_configs: scrapeConfigs,
  }
  writeFileSync(join(dir, 'prometheus.yml'), stringify(config))
  const url = `http://127.0.0.1:${port}`
  const proc = startProcess({
    name: 'prometheus',
    command: process.env.PROMETHEUS_BIN ?? 'prometheus',
    args: [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
  })
  await waitUntil('prometheus', () => httpOk(`${url}/-/ready`), { timeoutMs: 30_000, describe: () => proc.tail() })
  return {
    url,
    proc,
    async query(expr) {
      const res = await fetch(`${url}/api/v1/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query: expr }),
      })
      return (await res.json()) as PromResult
    },
  }
}
