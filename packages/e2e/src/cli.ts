import { spawn } from 'node:child_process'
import { CLI_DIR, CLI_MAIN } from '@gatekeeper/testkit/paths'

// The gatekeeper CLI as an operator runs it (`gatekeeper <command> --json`), against the stack's database.

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

export function runCli(args: readonly string[], env: Record<string, string>, timeoutMs = 30_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI_MAIN, ...args], {
      cwd: CLI_DIR,
      env: { ...process.env, ...env, CI: '1', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`gatekeeper ${args.join(' ')}: no exit within ${timeoutMs} ms\n${stderr}`))
    }, timeoutMs)
    child.once('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

/** Runs a `--json` command and returns its parsed output; a non-zero exit is an error. */
export async function cliJson(args: readonly string[], env: Record<string, string>): Promise<unknown> {
  const result = await runCli([...args, '--json'], env)
  if (result.code !== 0) throw new Error(`gatekeeper ${args.join(' ')} exited ${result.code}: ${result.stderr}`)
  return JSON.parse(result.stdout)
}
