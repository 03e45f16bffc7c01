import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { REPO_ROOT } from '@gatekeeper/testkit/paths'
import { freePort } from '@gatekeeper/testkit/ports'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI_MAIN, cliEnv, expectOneLineError, runCli } from './support/cli'

// `gatekeeper start` as `pnpm start` runs it on a fresh machine: no DATABASE_URL, no REDIS_URL, no Aegis.
// It builds the console when needed, serves it under /console/ and ends with next steps that work when
// pasted into a shell.

const run = promisify(execFile)

/** A line of the next-steps block, without its label. */
function step(output: string, label: string): string {
  const line = output.split('\n').find((l) => l.startsWith(`  ${label.padEnd(12)}`))
  if (line === undefined) throw new Error(`no "${label}" line in:\n${output}`)
  return line.slice(14)
}

async function shell(command: string, env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await run('bash', ['-c', command], { env, timeout: 60_000 })
  return stdout
}

describe('gatekeeper start on the embedded default', () => {
  let child: ChildProcess
  let output = ''
  let env: NodeJS.ProcessEnv
  let consoleApi = ''
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gk-start-'))

  beforeAll(async () => {
    const [authzPort, consolePort, pgPort] = [await freePort(), await freePort(), await freePort()]
    consoleApi = `http://127.0.0.1:${consolePort}`
    env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? tmpdir(),
      NO_COLOR: '1',
      GATEKEEPER_DATA_DIR: dataDir,
      GATEKEEPER_EMBEDDED_PG_PORT: String(pgPort),
      AUTHZ_HOST: '127.0.0.1',
      AUTHZ_PORT: String(authzPort),
      CONSOLE_API_HOST: '127.0.0.1',
      CONSOLE_API_PORT: String(consolePort),
      LOG_LEVEL: 'warn',
    }
    // From the checkout's root, as `pnpm start` runs it (the services are started with tsx from there).
    // A first start builds the console and initialises PGlite: well over a minute on a busy 2-core machine.
    child = spawn(process.execPath, [CLI_MAIN, 'start'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8')
    }
    child.stdout?.on('data', collect)
    child.stderr?.on('data', collect)
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no next steps within 240 s:\n${output}`)), 240_000)
      const check = () => {
        if (/Next steps:[\s\S]*ask authz .*\n.*\n/.test(output)) {
          clearTimeout(timer)
          resolve()
        }
      }
      child.stdout?.on('data', check)
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`gatekeeper start exited (${code}):\n${output}`))
      })
    })
  }, 270_000)

  afterAll(async () => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
    rmSync(dataDir, { recursive: true, force: true })
  }, 30_000)

  it('serves the built console under /console/, including a deep link to a screen', async () => {
    expect(step(output, 'console')).toBe(`${consoleApi}/console/`)
    const index = await fetch(`${consoleApi}/console/`)
    expect(index.status).toBe(200)
    expect(index.headers.get('content-type')).toContain('text/html')
    expect(index.headers.get('cache-control')).toBe('no-cache')
    const html = await index.text()
    expect(html).toContain('<div id="root">')
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1]
    expect(script).toBeDefined()
    const asset = await fetch(`${consoleApi}/console/${script}`)
    expect(asset.status).toBe(200)
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')

    const deep = await fetch(`${consoleApi}/console/clients`)
    expect(deep.status).toBe(200)
    expect(await deep.text()).toBe(html)
  })

  it('ends with next steps that work when pasted: setup-test-data, then the curl shows authz allowing', async () => {
    const curl = step(output, 'ask authz')
    expect(curl).toMatch(/^curl /)
    expect(await shell(curl, env)).toContain('"reason":"no_route_match"')

    const setup = step(output, 'test data')
    expect(setup).toMatch(/ setup-test-data$/)
    expect(await shell(setup, env)).toContain('test data on gatekeeper.test')

    // authz follows the embedded database by polling its config version (250 ms).
    let status = ''
    for (let i = 0; i < 40 && !status.startsWith('HTTP/1.1 200'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 250))
      status = (await shell(curl, env)).split('\n')[0] ?? ''
    }
    expect(status).toMatch(/^HTTP\/1\.1 200/)
  })
})

describe('gatekeeper start with a DATABASE_URL that does not work', () => {
  it('names the database (not its password) and what to do when nothing answers there', async () => {
    const port = await freePort()
    const env = cliEnv(`postgres://gk:hunter2@127.0.0.1:${port}/gatekeeper`, {
      AUTHZ_PORT: String(await freePort()),
      CONSOLE_API_PORT: String(await freePort()),
    })
    const result = await runCli(['start'], env)
    expect(result.code).toBe(6)
    expect(expectOneLineError(result)).toBe(
      `gatekeeper: cannot connect to postgres://gk:***@127.0.0.1:${port}/gatekeeper (DATABASE_URL): connect ECONNREFUSED 127.0.0.1:${port}; start PostgreSQL there or correct DATABASE_URL, or unset it to use the embedded database`,
    )
  })

  it('says a value that is not a postgres:// URL is one, instead of a host-name lookup failure', async () => {
    const result = await runCli(['start'], cliEnv('postgress://gk:hunter2@db.internal/gatekeeper'))
    expect(result.code).toBe(2)
    expect(expectOneLineError(result)).toBe(
      'gatekeeper: invalid environment: DATABASE_URL: expected a PostgreSQL URL, postgres://user:password@host:5432/database (or postgresql://)',
    )
  })
})

describe('gatekeeper start with a port already taken', () => {
  it('stops before starting anything, in one line naming the port and the variable that moves it', async () => {
    const holder = net.createServer()
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
    const taken = (holder.address() as net.AddressInfo).port
    const env = cliEnv(undefined, { CONSOLE_API_PORT: String(taken), AUTHZ_PORT: String(await freePort()) })
    const dataDir = path.join(env.GATEKEEPER_DATA_DIR ?? '', 'data')
    try {
      const result = await runCli(['start', '--data-dir', dataDir], env)
      expect(result.code).toBe(1)
      expect(expectOneLineError(result)).toBe(
        `gatekeeper: port ${taken} (console-api) is already in use, perhaps by another \`gatekeeper start\`: stop that, or choose a free port with CONSOLE_API_PORT=<port>`,
      )
      // Before the next steps (whose links another program would have answered), and before the database.
      expect(result.stdout).toBe('')
      expect(existsSync(dataDir)).toBe(false)
    } finally {
      holder.close()
    }
  })
})
