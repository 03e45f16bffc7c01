#!/usr/bin/env node
import { accessSync, constants, existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type CliConfig, loadCliConfig } from './config'
import { type CliContext, createContext } from './context'
import { describeFailure } from './errors'
import { ExitCode } from './exit-codes'
import { Output } from './output'
import { buildProgram } from './program'
import { shellQuote } from './shell'

// The only module that touches process.env, argv and the real streams.

const streams = { stdout: process.stdout, stderr: process.stderr }
// `gatekeeper route list | head`: a reader that goes away is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw err
})
const debug = /^(1|true|yes)$/i.test(process.env.GATEKEEPER_DEBUG ?? '')

/**
 * How to run this CLI again in the commands it prints (setup-test-data's curl lines): `gatekeeper` when
 * that name is on PATH (as README.md sets it up), else the absolute path of what is running now, so a
 * printed line works when pasted into any shell.
 */
function self(): string {
  const script = process.argv[1] ?? ''
  if (path.basename(script) === 'gatekeeper' || onPath('gatekeeper')) return 'gatekeeper'
  if (script.endsWith('.js')) return `node ${shellQuote(path.resolve(script))}`
  // Run from source (tsx): the checkout's launcher builds and runs the bundle.
  const launcher = path.resolve(path.dirname(script), '..', 'bin', 'gatekeeper.js')
  if (existsSync(launcher)) return `node ${shellQuote(launcher)}`
  return 'gatekeeper'
}

function onPath(name: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
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

async function run(): Promise<number> {
  let ctx: CliContext | undefined
  try {
    const config: CliConfig = loadCliConfig(process.env, Boolean(process.stdout.isTTY))
    const out = new Output(streams, { color: config.color })
    ctx = createContext({
      config,
      env: process.env,
      out,
      user: os.userInfo().username,
      terminal: Boolean(process.stdin.isTTY && process.stdout.isTTY),
      self: self(),
    })
    await buildProgram(ctx, streams).parseAsync(process.argv)
    return ExitCode.ok
  } catch (err) {
    const failure = describeFailure(err)
    if (failure.message !== undefined) process.stderr.write(`gatekeeper: ${failure.message}\n`)
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`)
    return failure.code
  } finally {
    await ctx?.close()
  }
}

const code = await run()
process.exitCode = code
// `start` keeps running through its children; anything else should let the process end. If a handle
// lingers (a socket), leave anyway once output has drained.
if (process.argv[2] !== 'start') setTimeout(() => process.exit(code), 2000).unref()
