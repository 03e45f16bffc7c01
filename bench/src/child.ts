import { spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { trackChild } from '@gatekeeper/testkit/process'

// Node children of the benchmark (authz, the baseline servers). Their output goes to a file, not through a pipe
// to this process: under load authz writes an audit line per decision, and neither buffering that here nor
// parsing it should cost CPU next to the measurement.

export interface NodeChildOptions {
  name: string
  script: string
  cwd: string
  env: Record<string, string | undefined>
  /** Where stdout and stderr go (appended). */
  logFile: string
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: readonly string[]
  /** TypeScript sources run through tsx (default); a built bundle runs on plain node. */
  tsx?: boolean
}

export interface NodeChild {
  readonly name: string
  readonly pid: number
  readonly logFile: string
  readonly running: boolean
  readonly exited: Promise<number | string>
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>
}

export function spawnNode(options: NodeChildOptions): NodeChild {
  const fd = openSync(options.logFile, 'a')
  const loader = (options.tsx ?? true) ? ['--import', 'tsx'] : []
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...loader, options.script], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', fd, fd],
  })
  closeSync(fd)
  // Killed with the benchmark should it exit first, and stopped by its final stopAll().
  const { exited, running } = trackChild(child)
  return {
    name: options.name,
    pid: child.pid ?? -1,
    logFile: options.logFile,
    get running() {
      return running()
    },
    exited,
    async stop(graceMs = 5000) {
      if (!running()) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      await exited
      clearTimeout(timer)
    },
  }
}

/** The last lines of a child's log, for error messages. */
export function logTail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n')
  } catch {
    return '(no log)'
  }
}

/** Resident memory of a process in MB (10^6 bytes; the kernel counts KiB), from /proc/<pid>/status (VmRSS), or undefined when unreadable. */
export function rssMB(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match?.[1] === undefined ? undefined : (Number(match[1]) * 1024) / 1e6
  } catch {
    return undefined
  }
}

/** Child pids of `pid` (cluster workers), from /proc/<pid>/task/<pid>/children. */
export function childPids(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim()
    return text === '' ? [] : text.split(/\s+/).map(Number)
  } catch {
    return []
  }
}

/** CPU time (user + system) a process has used so far, in milliseconds, from /proc/<pid>/stat (0 when gone). */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name (which may hold spaces) start at field 3 (state); utime is 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS
  } catch {
    return 0
  }
}

/** USER_HZ: 100 on every Linux this runs on (sysconf(_SC_CLK_TCK) is not reachable from node). */
const CLOCK_TICKS = 100
