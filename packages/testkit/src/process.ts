import { type ChildProcess, spawn } from 'node:child_process'
import { sleep } from './ports'

// Child processes of a test (authz, nginx, redis-server, prometheus), their output kept line by line. Every one is registered so `stopAll()` (afterAll) and, as a last
// resort, the test process's own exit can kill it: a failed test never leaves a server behind.

export interface ProcessOptions {
  name: string
  command: string
  args: readonly string[]
  env?: Record<string, string | undefined>
  cwd?: string
}

export interface ManagedProcess {
  readonly name: string
  readonly pid: number
  /** stdout and stderr lines so far, in arrival order. */
  readonly lines: readonly string[]
  /** The stdout lines alone (an app's JSON log, without whatever the runtime prints on stderr). */
  readonly stdout: readonly string[]
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  readonly exited: Promise<number | string>
  readonly running: boolean
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>
  signal(signal: NodeJS.Signals): void
  /** The last lines of output, for error messages. */
  tail(count?: number): string
}

const live = new Set<ChildProcess>()

process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

function collect(child: ChildProcess, lines: string[], stdout: string[]): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (stream === null) continue
    const push = (line: string) => {
      lines.push(line)
      if (stream === child.stdout) stdout.push(line)
    }
    let partial = ''
    stream.setEncoding('utf8')
    stream.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n')
      partial = parts.pop() ?? ''
      for (const line of parts) push(line)
    })
    stream.on('end', () => {
      if (partial !== '') push(partial)
      partial = ''
    })
  }
}

/**
 * Registers a child (for `stopAll()`, and SIGKILL should this process exit first) and follows it: `exited`
 * resolves with its exit code or signal name, or 'spawn_error' if it never started (`onSpawnError` hears why).
 */
export function trackChild(
  child: ChildProcess,
  onSpawnError: (err: Error) => void = () => undefined,
): { exited: Promise<number | string>; running(): boolean } {
  live.add(child)
  let running = true
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false
      live.delete(child)
      resolve(code ?? signal ?? 'unknown')
    })
    child.once('error', (err) => {
      running = false
      live.delete(child)
      onSpawnError(err)
      resolve('spawn_error')
    })
  })
  return { exited, running: () => running }
}

export function startProcess(options: ProcessOptions): ManagedProcess {
  const child = spawn(options.command, [...options.args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  const stdout: string[] = []
  collect(child, lines, stdout)
  const { exited, running } = trackChild(child, (err) => lines.push(`spawn error: ${err.message}`))
  const handle: ManagedProcess = {
    name: options.name,
    pid: child.pid ?? -1,
    lines,
    stdout,
    exited,
    get running() {
      return running()
    },
    async stop(graceMs = 5000) {
      if (!running()) return
      child.kill('SIGCONT')
      child.kill('SIGTERM')
      const done = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)])
      if (!done) {
        child.kill('SIGKILL')
        await exited
      }
    },
    signal(signal) {
      if (running()) child.kill(signal)
    },
    tail(count = 30) {
      return lines.slice(-count).join('\n')
    },
  }
  return handle
}

/** Stops every process still running (in parallel). */
export async function stopAll(): Promise<void> {
  const children = [...live]
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGCONT')
      child.kill('SIGTERM')
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()))
      const done = await Promise.race([gone.then(() => true), sleep(5000).then(() => false)])
      if (!done) child.kill('SIGKILL')
    }),
  )
}

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * Runs a short-lived command (a CLI, not a server) to its end with an empty stdin, and answers its exit code
 * and all it wrote. With `timeoutMs`, a command still running then is killed and the promise rejects.
 */
export function runToEnd(
  command: string,
  args: readonly string[],
  options: {
    env: Record<string, string | undefined>
    cwd?: string
    timeoutMs?: number
    /** What a timeout's error calls the command; default: the command line. */
    name?: string
  },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            child.kill('SIGKILL')
            reject(
              new Error(
                `${options.name ?? [command, ...args].join(' ')}: no exit within ${options.timeoutMs} ms\n${stderr}`,
              ),
            )
          }, options.timeoutMs)
    child.once('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    // 'close', not 'exit': by then all of stdout and stderr has been read.
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
    child.stdin.end()
  })
}
