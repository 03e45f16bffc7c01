import { spawnSync } from 'node:child_process'

export interface ToolRun {
  status: number | null
  output: string
}

/** Runs promtool (Debian package `prometheus`, listed in .ci/apt-packages). */
export function promtool(args: string[], cwd: string): ToolRun {
  const run = spawnSync(process.env.PROMTOOL ?? 'promtool', args, { cwd, encoding: 'utf8', timeout: 80_000 })
  if (run.error !== undefined) {
    throw new Error(`promtool could not run (${run.error.message}); install Debian's prometheus package`)
  }
  return { status: run.status, output: `${run.stdout}${run.stderr}` }
}
