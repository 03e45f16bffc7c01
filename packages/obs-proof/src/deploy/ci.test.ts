import { readFileSync } from 'node:fs'
import { repoPath } from '@gatekeeper/testkit/paths'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

// The CI workflow runs the three test tiers as parallel jobs, together exactly the turbo tasks of `pnpm test`, each
// with the services its tier needs (and the system tier with a real Loki), on a cached pnpm store.

interface Step {
  uses?: string
  run?: string
  with?: Record<string, unknown>
}
interface Job {
  needs?: unknown
  services?: Record<string, { image: string; ports?: string[] }>
  env?: Record<string, string>
  steps: Step[]
}

const workflow = parse(readFileSync(repoPath('.github/workflows/ci.yml'), 'utf8')) as { jobs: Record<string, Job> }
const turbo = JSON.parse(readFileSync(repoPath('turbo.json'), 'utf8')) as { tasks: Record<string, unknown> }
const rootScripts = (JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { scripts: Record<string, string> })
  .scripts

/** The turbo tasks a command line runs (`turbo run a b --flag && turbo run c`). */
function turboTasks(command: string): string[] {
  return [...command.matchAll(/turbo run ([^&|;]+)/g)].flatMap((m) =>
    (m[1] ?? '').split(/\s+/).filter((word) => word !== '' && !word.startsWith('-')),
  )
}

const jobs = Object.entries(workflow.jobs)

describe('.github/workflows/ci.yml', () => {
  it('has one job per tier, none waiting for another', () => {
    expect(Object.keys(workflow.jobs).sort()).toEqual(['check', 'integration', 'system'])
    for (const [, job] of jobs) expect(job.needs).toBeUndefined()
  })

  it('runs exactly the turbo tasks of `pnpm test`, each defined in turbo.json', () => {
    const inCi = jobs.flatMap(([, job]) => job.steps.flatMap((step) => turboTasks(step.run ?? '')))
    const inTest = turboTasks(rootScripts.test ?? '')
    expect([...inCi].sort()).toEqual([...inTest].sort())
    for (const task of inCi) expect(Object.keys(turbo.tasks)).toContain(task === 'lint' ? '//#lint' : task)
  })

  it('caches the pnpm store and installs from the lockfile in every job', () => {
    for (const [, job] of jobs) {
      expect(job.steps.some((s) => s.uses?.startsWith('pnpm/action-setup@'))).toBe(true)
      expect(job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with?.cache).toBe('pnpm')
      expect(job.steps.some((s) => s.run === 'pnpm install --frozen-lockfile')).toBe(true)
    }
  })

  it('gives the integration and system jobs PostgreSQL and Redis, and the system job a real Loki at LOKI_URL', () => {
    for (const name of ['integration', 'system']) {
      const services = workflow.jobs[name]?.services ?? {}
      expect(services.postgres?.image).toMatch(/^postgres:/)
      expect(services.redis?.image).toMatch(/^redis:/)
    }
    const system = workflow.jobs.system
    expect(system?.services?.loki?.image).toMatch(/^grafana\/loki:/)
    const port = system?.services?.loki?.ports?.[0]?.split(':')[0]
    expect(system?.env?.LOKI_URL).toBe(`http://127.0.0.1:${port}`)
    expect(workflow.jobs.check?.services).toBeUndefined()
  })
})
