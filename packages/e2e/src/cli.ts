import { CLI_DIR, CLI_MAIN } from '@gatekeeper/testkit/paths'
import { runToEnd } from '@gatekeeper/testkit/process'

// The gatekeeper CLI as an operator runs it (`gatekeeper <command> --json`), against the stack's database.

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

export function runCli(args: readonly string[], env: Record<string, string>, timeoutMs = 30_000): Promise<CliResult> {
  return runToEnd(process.execPath, ['--import', 'tsx', CLI_MAIN, ...args], {
    cwd: CLI_DIR,
    env: { ...process.env, ...env, CI: '1', NO_COLOR: '1' },
    timeoutMs,
    name: `gatekeeper ${args.join(' ')}`,
  })
}

/** Runs a `--json` command and returns its parsed output; a non-zero exit is an error. */
export async function cliJson(args: readonly string[], env: Record<string, string>): Promise<unknown> {
  const result = await runCli([...args, '--json'], env)
  if (result.code !== 0) throw new Error(`gatekeeper ${args.join(' ')} exited ${result.code}: ${result.stderr}`)
  return JSON.parse(result.stdout)
}
