import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type TestDatabase, useTestDatabase } from '@gatekeeper/testkit/postgres'
import { beforeAll } from 'vitest'

export const CLI_MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url))

export type CliResult = { code: number | null; stdout: string; stderr: string }

export type CliEnv = Record<string, string>

/**
 * The environment of a CLI run: the database, a master key, and an empty data dir so nothing from a
 * developer's `pnpm start` (embedded.json, master.key) is picked up.
 */
export function cliEnv(databaseUrl: string | undefined, extra: CliEnv = {}): CliEnv {
  const env: CliEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    GATEKEEPER_MASTER_KEY: randomBytes(32).toString('base64'),
    GATEKEEPER_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'gk-cli-')),
    NO_COLOR: '1',
    ...extra,
  }
  if (databaseUrl !== undefined) env.DATABASE_URL = databaseUrl
  return env
}

/** A database of the file's own and the CLI environment pointing at it (filled in once beforeAll has run). */
export function useCliDatabase(extra: CliEnv = {}): { db: TestDatabase; env: CliEnv } {
  const db = useTestDatabase()
  const env: CliEnv = {}
  beforeAll(() => {
    Object.assign(env, cliEnv(db.url, extra))
  })
  return { db, env }
}

/** Runs `node dist/main.js ...args` with no terminal attached (stdin is an empty pipe). */
export function runCli(args: ReadonlyArray<string>, env: CliEnv, input = ''): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d
    })
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(input)
  })
}

/** Runs a command expected to succeed with --json and returns the parsed document. */
export async function cliJson<T = unknown>(args: ReadonlyArray<string>, env: CliEnv): Promise<T> {
  const result = await runCli([...args, '--json'], env)
  if (result.code !== 0) {
    throw new Error(`gatekeeper ${args.join(' ')} exited ${result.code}: ${result.stderr.trim()}`)
  }
  return JSON.parse(result.stdout) as T
}

/** What every refused or failed command must look like: one line on stderr, no stack trace. */
export function expectOneLineError(result: CliResult): string {
  const lines = result.stderr.trimEnd().split('\n')
  if (lines.length !== 1) throw new Error(`expected one line on stderr, got:\n${result.stderr}`)
  const line = lines[0] ?? ''
  if (/\n\s+at |Error:/.test(result.stderr)) throw new Error(`stack trace or raw error on stderr:\n${result.stderr}`)
  return line
}
