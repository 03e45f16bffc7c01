import os from 'node:os'
import { type CliConfig, loadCliConfig } from './config'
import { type CliContext, createContext } from './context'
import { describeFailure } from './errors'
import { ExitCode } from './exit-codes'
import { selfInvocation } from './invocation'
import { Output, type OutputStream } from './output'
import { buildProgram } from './program'

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
      self: selfInvocation(io.script, io.env),
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
