import { type ChildProcess, spawn } from 'node:child_process'

export type ManagedProcess = {
  readonly name: string
  readonly running: boolean
  /** stdout and stderr so far, line by line. */
  readonly lines: ReadonlyArray<string>
  tail(count?: number): string
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>
}

const live = new Set<ChildProcess>()
// A crashed test run must not leave servers behind.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

/** `node --import tsx <entry>` for one of the repo's apps, with only the given environment added. */
export function startNodeApp(name: string, entry: string, cwd: string, env: Record<string, string>): ManagedProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  live.add(child)
  const lines: Array<string> = []
  let running = true
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running = false
      live.delete(child)
      resolve()
    })
  })
  for (const stream of [child.stdout, child.stderr]) {
    let partial = ''
    stream.setEncoding('utf8')
    stream.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n')
      partial = parts.pop() ?? ''
      lines.push(...parts)
    })
  }
  return {
    name,
    get running() {
      return running
    },
    lines,
    tail: (count = 40) => lines.slice(-count).join('\n'),
    async stop(graceMs = 3000) {
      if (!running) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      await exited
      clearTimeout(timer)
    },
  }
}
