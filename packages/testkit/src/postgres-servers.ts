import { execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { freePort } from './ports'

// PostgreSQL servers of a test's or a script's own: initdb into a temporary directory, pg_ctl on a free loopback
// port, the socket in that directory. The machine's shared server (5432) is never touched. initdb refuses to run
// as root, so as root every command runs as the `postgres` OS user. A primary can get a streaming standby
// (pg_basebackup -R) to fail over to.

const NEEDED = ['initdb', 'pg_ctl', 'pg_basebackup', 'postgres']

/** Debian's PostgreSQL server binaries (PG_BIN, else the newest /usr/lib/postgresql/<version>/bin), or why not. */
export function findPostgresBin(): { bin: string } | { missing: string } {
  const candidates: string[] = []
  if (process.env.PG_BIN !== undefined) candidates.push(process.env.PG_BIN)
  else if (existsSync('/usr/lib/postgresql')) {
    const versions = readdirSync('/usr/lib/postgresql')
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`))
  }
  for (const bin of candidates) {
    if (NEEDED.every((name) => existsSync(join(bin, name)))) return { bin }
  }
  return {
    missing: `PostgreSQL server binaries (${NEEDED.join(', ')}) not found in ${
      candidates.length > 0 ? candidates.join(', ') : '/usr/lib/postgresql/<version>/bin'
    } (install Debian's postgresql package or set PG_BIN)`,
  }
}

const asRoot = process.getuid?.() === 0

function run(command: string, args: string[], timeoutMs = 60_000): string {
  const runAs = asRoot ? ['runuser', '-u', 'postgres', '--'] : []
  const [cmd = command, ...rest] = [...runAs, command, ...args]
  try {
    return execFileSync(cmd, rest, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs })
  } catch (err) {
    const e = err as { stderr?: string; message: string }
    throw new Error(`${command} ${args.join(' ')}: ${e.stderr?.trim() || e.message}`)
  }
}

function ownedTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    chownSync(dir, uid, gid)
  }
  return dir
}

export interface PostgresServer {
  readonly name: string
  readonly port: number
  readonly dataDir: string
  /** postgres://postgres@127.0.0.1:<port>/<db> */
  url(database?: string): string
  start(): void
  /** `immediate` is a crash: no shutdown checkpoint, connections cut. */
  stop(mode?: 'fast' | 'immediate'): void
  /** pg_ctl promote: a standby becomes a primary (waits until it accepts writes). */
  promote(): void
  /** The postmaster's pid (its backends are its children), or undefined when stopped. */
  pid(): number | undefined
  running(): boolean
}

function server(
  bin: string,
  name: string,
  dir: string,
  dataDir: string,
  port: number,
  settings: string[],
): PostgresServer {
  const options = [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', ...settings.map((s) => `-c ${s}`)].join(
    ' ',
  )
  const pgCtl = (args: string[], timeoutMs?: number) => run(join(bin, 'pg_ctl'), ['-D', dataDir, ...args], timeoutMs)
  let up = false
  return {
    name,
    port,
    dataDir,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start() {
      pgCtl(['-o', options, '-l', join(dir, `${name}.log`), '-w', '-t', '60', 'start'], 70_000)
      up = true
    },
    stop(mode = 'fast') {
      if (!up) return
      up = false
      pgCtl(['-m', mode, '-w', '-t', '30', 'stop'], 40_000)
    },
    promote() {
      pgCtl(['-w', '-t', '30', 'promote'], 40_000)
    },
    pid() {
      if (!up) return undefined
      try {
        const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0])
        return Number.isInteger(pid) && pid > 0 ? pid : undefined
      } catch {
        return undefined
      }
    },
    running: () => up,
  }
}

export interface PostgresOptions {
  /** Extra `name=value` server settings. */
  settings?: string[]
}

/** Settings for throwaway servers: durability off (the data dies with the test anyway). */
const FAST = ['fsync=off', 'full_page_writes=off', 'max_connections=200']

export interface PrivatePostgres {
  server: PostgresServer
  /** Creates a database on it and returns its URL. */
  createDatabase(name: string): Promise<string>
  /** Stops the server and removes every file. */
  destroy(): void
}

async function createDatabaseOn(url: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  client.on('error', () => undefined)
  await client.connect()
  try {
    await client.query(`CREATE DATABASE "${name}"`)
  } finally {
    await client.end()
  }
}

/** One PostgreSQL server of the caller's own. */
export async function startPrivatePostgres(options: PostgresOptions = {}): Promise<PrivatePostgres> {
  const found = findPostgresBin()
  if ('missing' in found) throw new Error(found.missing)
  const dir = ownedTempDir('gk-pg-')
  try {
    const data = join(dir, 'data')
    run(join(found.bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'])
    const s = server(found.bin, 'postgres', dir, data, await freePort(), [...FAST, ...(options.settings ?? [])])
    s.start()
    return {
      server: s,
      async createDatabase(name) {
        await createDatabaseOn(s.url(), name)
        return s.url(name)
      },
      destroy() {
        try {
          s.stop('immediate')
        } catch {
          // already gone
        }
        rmSync(dir, { recursive: true, force: true })
      },
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true })
    throw err
  }
}

export interface ReplicatedPostgres {
  primary: PostgresServer
  standby: PostgresServer
  /** Creates a database on the primary (it reaches the standby by replication) and waits until the standby has it. */
  createDatabase(name: string): Promise<void>
  /** `postgres://postgres@127.0.0.1:<primary>,127.0.0.1:<standby>/<db>?target_session_attrs=read-write` */
  multiHostUrl(database: string, attrs?: string): string
  /** Waits until the standby streams from the primary (and, when synchronous, is the synchronous standby). */
  waitStreaming(timeoutMs?: number): Promise<void>
  destroy(): void
}

/**
 * A primary and a streaming standby (pg_basebackup -R). `synchronous` makes every commit wait for the standby
 * (synchronous_standby_names = '*'): a promoted standby then has every change the primary acknowledged.
 */
export async function startReplicatedPostgres(
  options: PostgresOptions & { synchronous?: boolean } = {},
): Promise<ReplicatedPostgres> {
  const found = findPostgresBin()
  if ('missing' in found) throw new Error(found.missing)
  const bin = found.bin
  const dir = ownedTempDir('gk-pg-pair-')
  const servers: PostgresServer[] = []
  const destroy = () => {
    for (const s of servers) {
      try {
        s.stop('immediate')
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    const primaryData = join(dir, 'primary')
    const standbyData = join(dir, 'standby')
    run(join(bin, 'initdb'), ['-D', primaryData, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'])
    const settings = [
      ...FAST,
      'wal_level=replica',
      'max_wal_senders=5',
      'wal_sender_timeout=5s',
      'wal_receiver_timeout=5s',
      'wal_retrieve_retry_interval=200ms',
      ...(options.settings ?? []),
    ]
    // Only the primary waits for a synchronous standby: once promoted, the standby has none to wait for.
    const primarySettings = [...settings, ...(options.synchronous ? ["synchronous_standby_names='*'"] : [])]
    const [primaryPort, standbyPort] = [await freePort(), await freePort()]
    const primary = server(bin, 'primary', dir, primaryData, primaryPort, primarySettings)
    primary.start()
    servers.push(primary)
    run(join(bin, 'pg_basebackup'), [
      '-h',
      '127.0.0.1',
      '-p',
      String(primaryPort),
      '-U',
      'postgres',
      '-D',
      standbyData,
      '-R',
      '-X',
      'stream',
      '--checkpoint=fast',
      '--no-sync',
    ])
    const standby = server(bin, 'standby', dir, standbyData, standbyPort, settings)
    standby.start()
    servers.push(standby)

    const query = async <T>(url: string, text: string): Promise<T[]> => {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 })
      client.on('error', () => undefined)
      await client.connect()
      try {
        return (await client.query(text)).rows as T[]
      } finally {
        await client.end().catch(() => undefined)
      }
    }
    const waitStreaming = async (timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const rows = await query<{ state: string; sync_state: string }>(
          primary.url(),
          'SELECT state, sync_state FROM pg_stat_replication',
        ).catch(() => [])
        const ok = rows.some((r) => r.state === 'streaming' && (!options.synchronous || r.sync_state === 'sync'))
        if (ok) return
        if (Date.now() > deadline) throw new Error(`the standby is not streaming after ${timeoutMs} ms`)
        await new Promise((r) => setTimeout(r, 100))
      }
    }
    await waitStreaming()
    return {
      primary,
      standby,
      async createDatabase(name) {
        await createDatabaseOn(primary.url(), name)
        const deadline = Date.now() + 30_000
        for (;;) {
          const rows = await query<{ n: number }>(
            standby.url(),
            `SELECT count(*)::int AS n FROM pg_database WHERE datname = '${name.replace(/'/g, "''")}'`,
          ).catch(() => [])
          if (rows[0]?.n === 1) return
          if (Date.now() > deadline) throw new Error(`database ${name} did not reach the standby`)
          await new Promise((r) => setTimeout(r, 100))
        }
      },
      multiHostUrl(database, attrs = 'read-write') {
        return `postgres://postgres@127.0.0.1:${primaryPort},127.0.0.1:${standbyPort}/${database}?target_session_attrs=${attrs}`
      },
      waitStreaming,
      destroy,
    }
  } catch (err) {
    destroy()
    throw err
  }
}
