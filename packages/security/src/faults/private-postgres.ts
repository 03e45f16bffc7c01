import { execFileSync } from 'node:child_process'
import { chownSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '@gatekeeper/e2e/ports'
import { Client } from 'pg'

// A PostgreSQL cluster of the fault script's own (initdb into a temporary directory, pg_ctl on a random
// loopback port, its socket in that directory), so it can be stopped and restarted while other suites use the
// machine's shared server undisturbed. initdb refuses to run as root: then every command runs as `postgres`.

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin'

export interface PrivatePostgres {
  port: number
  /** postgres://postgres@127.0.0.1:<port>/<db> */
  url(database?: string): string
  createDatabase(name: string): Promise<string>
  stop(mode?: 'fast' | 'immediate'): void
  start(): void
  /** Stops the server and removes its directory. */
  destroy(): void
}

function asOwner(command: string, args: string[]): string {
  const runAs = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : []
  const [cmd = command, ...rest] = [...runAs, command, ...args]
  return execFileSync(cmd, rest, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'gk-faults-pg-'))
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    chownSync(dir, uid, gid)
  }
  const data = join(dir, 'data')
  asOwner(join(BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'])
  const port = await freePort()
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`
  const pgCtl = (args: string[]) => asOwner(join(BIN, 'pg_ctl'), ['-D', data, ...args])
  const start = () => {
    pgCtl(['-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '30', 'start'])
  }
  start()
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`
  return {
    port,
    url,
    async createDatabase(name) {
      const client = new Client({ connectionString: url() })
      await client.connect()
      try {
        await client.query(`CREATE DATABASE "${name}"`)
      } finally {
        await client.end()
      }
      return url(name)
    },
    stop(mode = 'fast') {
      pgCtl(['-m', mode, '-w', '-t', '30', 'stop'])
    },
    start,
    destroy() {
      try {
        pgCtl(['-m', 'immediate', '-w', 'stop'])
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
