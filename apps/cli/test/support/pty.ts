import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { CLI_MAIN, type CliEnv } from './cli'

const DRIVER = fileURLToPath(new URL('./pty-driver.py', import.meta.url))

export type Step = { expect: string; timeout?: number } | { send: string; delay?: number }
export type PtyResult = { code: number; transcript: string; failed: string | null }

export const keys = { enter: '\r', down: '\u001b[B', up: '\u001b[A', space: ' ', backspace: '\u007f' }

/** Runs the built CLI on a pseudo-terminal (python3's pty module) and plays the steps against it. */
export function runInteractive(
  args: ReadonlyArray<string>,
  env: CliEnv,
  steps: ReadonlyArray<Step>,
): Promise<PtyResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gk-pty-'))
  const script = path.join(dir, 'steps.json')
  writeFileSync(script, JSON.stringify(steps))
  return new Promise((resolve, reject) => {
    execFile(
      'python3',
      [DRIVER, script, process.execPath, CLI_MAIN, ...args],
      { env: { ...env, TERM: 'xterm-256color' }, timeout: 60_000, maxBuffer: 10 * 1024 * 1024 },
      (err, stdout) => {
        if (err) return reject(err)
        resolve(JSON.parse(stdout) as PtyResult)
      },
    )
  })
}
