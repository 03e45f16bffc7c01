import { accessSync, constants, existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type CliConfig, loadCliConfig } from './config'
import { type CliContext, createContext } from './context'
import { describeFailure } from './errors'
import { ExitCode } from './exit-codes'
import { Output, type OutputStream } from './output'
import { buildProgram } from './program'
import { shellQuote } from './shell'

/** Everything one run of the CLI takes from the process it runs in: main.ts passes the real ones. */
export type RunIo = {
  /** The environment the command reads (process.env in the binary). */
  env: Readonly<Record<string, string | undefined>>
  /** Questions are asked only when stdin and stdout are both terminals. */
  stdin: { isTTY?: boolean }
  stdout: OutputStream
  stderr: OutputStream
  /** What is running (process.argv[1]): the commands the CLI prints run it again by this path. */
  script: string
}

/**
 * How to run this CLI again in the commands it prints (setup-test-data's curl lines): `gatekeeper` when
 * that name is on PATH (as README.md sets it up), else the absolute path of what is running now, so a
 * printed line works when pasted into any shell.
 */
export function selfInvocation(script: string, searchPath: string | undefined): string {
  if (path.basename(script) === 'gatekeeper' || onPath('gatekeeper', searchPath ?? '')) return 'gatekeeper'
  if (script.endsWith('.js')) return `node ${shellQuote(path.resolve(script))}`
  // Run from source (tsx): the checkout's launcher builds and runs the bundle.
  const launcher = path.resolve(path.dirname(script), '..', 'bin', 'gatekeeper.js')
  if (existsSync(launcher)) return `node ${shellQuote(launcher)}`
  return 'gatekeeper'
}

function onPath(name: string, searchPath: string): boolean {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === '') continue
    try {
      accessSync(path.join(dir, name), constants.X_OK)
      return true
    } catch {
      // not in this directory
    }
  }
  return false
}

/**
 * One command line (the arguments after the script's name) from start to finish: its output goes to
 * io's streams, a failure is one `gatekeeper: …` line on stderr, and the exit status is returned, never
 * acted on, so the caller decides when the process ends.
 */
export async function run(argv: ReadonlyArray<string>, io: RunIo): Promise<number> {
  const streams = { stdout: io.stdout, stderr: io.stderr }
  const debug = /^(1|true|yes)$/i.test(io.env.GATEKEEPER_DEBUG ?? '')
  let ctx: CliContext | undefined
  try {
    const config: CliConfig = loadCliConfig(io.env, Boolean(io.stdout.isTTY))
    const out = new Output(streams, { color: config.color })
    ctx = createContext({
      config,
      env: io.env,
      out,
      user: os.userInfo().username,
      terminal: Boolean(io.stdin.isTTY && io.stdout.isTTY),
      self: selfInvocation(io.script, io.env.PATH),
    })
    await buildProgram(ctx, streams).parseAsync([...argv], { from: 'user' })
    return ExitCode.ok
  } catch (err) {
    const failure = describeFailure(err)
    if (failure.message !== undefined) io.stderr.write(`gatekeeper: ${failure.message}\n`)
    if (debug && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`)
    return failure.code
  } finally {
    await ctx?.close()
  }
}
