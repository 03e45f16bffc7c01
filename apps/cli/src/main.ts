#!/usr/bin/env node
import { run } from './run'

// The only module that touches process.env, argv, the real streams and the process's exit.

// `gatekeeper route list | head`: a reader that goes away is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw err
})

const code = await run(process.argv.slice(2), {
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  script: process.argv[1] ?? '',
})
process.exitCode = code
// `start` keeps running through its children; anything else should let the process end. If a handle
// lingers (a socket), leave anyway once output has drained.
if (process.argv[2] !== 'start') setTimeout(() => process.exit(code), 2000).unref()
