import { describe, expect, it } from 'vitest'
import { type CliEnv, cliEnv, runBinary, runCli, useCliDatabase } from './support/cli'

// The other files call the bundle's run() in the test's own process (support/cli.ts), what dist/main.js
// calls with process.argv, process.env and the real streams. Here the same command lines also go through
// the binary, `node dist/main.js`, and must give the same exit status, stdout and stderr to the byte:
// help and its width, commander's own errors, each exit code, a warning, the database missing or down.

const { env: withDb } = useCliDatabase()
const noDb = cliEnv(undefined)
const downDb = cliEnv('postgres://postgres@127.0.0.1:1/gatekeeper')
const signV1 = ['sign', '--v1', '--client-id', 'c-1', '--secret', 'gks_abc', '--method', 'POST', '--path', '/api/x']
const pinned = ['--timestamp', '1700000000', '--nonce', 'n0nce-0123456789']

const v2Url = ['sign', '--client-id', 'c-1', '--secret', 's', '--url', 'https://h.example/x', ...pinned]

/** What, with which environment, and the binary's exit status. */
const CASES: ReadonlyArray<readonly [string, ReadonlyArray<string>, () => CliEnv, number]> = [
  ['no command: the help on stderr', [], () => noDb, 2],
  ['--help', ['--help'], () => noDb, 0],
  ['--version', ['--version'], () => noDb, 0],
  ['a group without a subcommand', ['route'], () => noDb, 2],
  ['a subcommand --help', ['client', 'create', '--help'], () => noDb, 0],
  ['an unknown command, with a suggestion', ['rout', 'list'], () => noDb, 2],
  ['an unknown option', ['route', 'list', '--bogus'], () => noDb, 2],
  ['v1 with a body: the header, and a warning on stderr', [...signV1, '--body', '{"a":1}', ...pinned], () => noDb, 0],
  ['v2 headers for a URL', v2Url, () => noDb, 0],
  ['v2 without a host', ['sign', '--client-id', 'c', '--secret', 's', '--path', '/x'], () => noDb, 2],
  ['no database configured', ['route', 'list'], () => noDb, 6],
  ['a database that is down', ['client', 'list'], () => downDb, 6],
  ['an invalid master key', ['route', 'list'], () => ({ ...withDb, GATEKEEPER_MASTER_KEY: 'too-short' }), 2],
  ['an empty route table', ['route', 'list'], () => withDb, 0],
  ['an empty list as JSON', ['client', 'list', '--json'], () => withDb, 0],
  ['not found', ['client', 'show', 'nobody'], () => withDb, 3],
  ['refused without --yes', ['db', 'reset'], () => withDb, 5],
  ['the empty configuration, exported', ['export'], () => withDb, 0],
  ['a file that is not there', ['validate', '-f', '/nonexistent/gatekeeper.yaml'], () => withDb, 2],
]

describe('in this process as through the binary', () => {
  it.each(CASES)('%s', async (_, args, env, code) => {
    const binary = await runBinary(args, env())
    expect(binary.code).toBe(code)
    expect(await runCli(args, env())).toEqual(binary)
  })
})
