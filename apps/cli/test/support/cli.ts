import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import { createDb, type DbHandle } from '@gatekeeper/db/client'
import type { RouteWire } from '@gatekeeper/models'
import { type TestDatabase, useTestDatabase } from '@gatekeeper/testkit/postgres'
import { runToEnd } from '@gatekeeper/testkit/process'
import { afterAll, beforeAll } from 'vitest'

export const CLI_MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url))
const CLI_RUN = fileURLToPath(new URL('../../dist/run.js', import.meta.url))

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

/**
 * A database of the file's own (migrated unless `migrate: false`) and the CLI environment pointing at it
 * (filled in once beforeAll has run).
 */
export function useCliDatabase(
  extra: CliEnv = {},
  opts: { migrate?: boolean } = {},
): { db: TestDatabase; env: CliEnv } {
  const db = useTestDatabase(opts)
  const env: CliEnv = {}
  beforeAll(() => {
    Object.assign(env, cliEnv(db.url, extra))
  })
  return { db, env }
}

/** A pool of the test's own on the file's database, for what the CLI's output cannot show (open once beforeAll has run). */
export function useDbHandle(db: TestDatabase): DbHandle {
  const handle = {} as DbHandle
  beforeAll(() => {
    Object.assign(handle, createDb(db.url, { max: 2 }))
  })
  afterAll(async () => {
    await handle.close?.()
  })
  return handle
}

/**
 * Runs `gatekeeper ...args` in this process: the bundle's run() (dist/run.js, the function dist/main.js
 * calls with process.argv, process.env and the real streams) with `env` as its environment, no terminal,
 * and its output captured. binary.int.test.ts checks that this gives what the binary gives.
 */
export async function runCli(args: ReadonlyArray<string>, env: CliEnv): Promise<CliResult> {
  const { run } = (await import(CLI_RUN)) as typeof import('../../src/run')
  const stdout = new Capture()
  const stderr = new Capture()
  const code = await run(args, { env, stdin: { isTTY: false }, stdout, stderr, script: CLI_MAIN })
  return { code, stdout: await stdout.text(), stderr: await stderr.text() }
}

/** A stream that keeps what is written to it, as the binary's piped stdout and stderr would deliver it. */
class Capture extends Writable {
  private readonly chunks: Buffer[] = []

  override _write(chunk: Buffer | string, encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk)
    done()
  }

  async text(): Promise<string> {
    this.end()
    await finished(this)
    return Buffer.concat(this.chunks).toString('utf8')
  }
}

/** Runs `node dist/main.js ...args`, the built binary, with no terminal attached (stdin is an empty pipe). */
export function runBinary(args: ReadonlyArray<string>, env: CliEnv): Promise<CliResult> {
  return runToEnd(process.execPath, [CLI_MAIN, ...args], { env })
}

/** Runs a command expected to succeed with --json (in this process, or `via` the binary) and returns the document. */
export async function cliJson<T = unknown>(args: ReadonlyArray<string>, env: CliEnv, via = runCli): Promise<T> {
  const result = await via([...args, '--json'], env)
  if (result.code !== 0) {
    throw new Error(`gatekeeper ${args.join(' ')} exited ${result.code}: ${result.stderr.trim()}`)
  }
  return JSON.parse(result.stdout) as T
}

export type RouteFlags = { pattern: string; domain?: string; service: string; methods: string }

/** `gatekeeper route create` with its flags (and `more`), returning the route it made. */
export function createRoute(env: CliEnv, route: RouteFlags, ...more: string[]): Promise<RouteWire> {
  const domain = route.domain === undefined ? [] : ['--domain', route.domain]
  const args = ['--pattern', route.pattern, ...domain, '--service', route.service, '--method', route.methods]
  return cliJson<RouteWire>(['route', 'create', ...args, ...more], env)
}

/** What every refused or failed command must look like: one line on stderr, no stack trace. */
export function expectOneLineError(result: CliResult): string {
  const lines = result.stderr.trimEnd().split('\n')
  if (lines.length !== 1) throw new Error(`expected one line on stderr, got:\n${result.stderr}`)
  const line = lines[0] ?? ''
  if (/\n\s+at |Error:/.test(result.stderr)) throw new Error(`stack trace or raw error on stderr:\n${result.stderr}`)
  return line
}
