// Multi-host DATABASE_URLs, as libpq reads them: `postgres://u@h1:5432,h2:5433/db?target_session_attrs=read-write`
// tries the hosts in order and keeps the first whose session has the wanted attributes, so after a failover
// the apps find the promoted standby by themselves.
//
// node-postgres (pg 8) takes one host: its connection-string parser reads the example above as one mangled host,
// and its multi-host support is still an open request upstream. So the host list lives here, in front of pg:
// a pg.Client subclass that, before connecting, asks a shared HostPicker which host to use. The picker remembers
// the last good host; when a connection to it fails, ends unexpectedly or no longer has the wanted attributes, it
// forgets it and the next connection probes the list again, in order, with short-lived connections. Pools
// (`new Pool({ Client })`) and the dedicated LISTEN connection use the same picker, so they converge on one host.

import pg from 'pg'

export const TARGET_SESSION_ATTRS = ['any', 'read-write', 'read-only', 'primary', 'standby', 'prefer-standby'] as const
export type TargetSessionAttrs = (typeof TARGET_SESSION_ATTRS)[number]

export type HostPort = { host: string; port: number }

export type DatabaseTarget = {
  hosts: HostPort[]
  targetSessionAttrs: TargetSessionAttrs
  /** True when the URL needs the host list (more than one host, or a target_session_attrs other than any). */
  multi: boolean
  /** A URL node-postgres can read for one host (the first), without target_session_attrs. */
  url: string
  /** The same URL for another host of the list. */
  urlFor(host: HostPort): string
}

const DEFAULT_PORT = 5432

function isAttrs(value: string): value is TargetSessionAttrs {
  return (TARGET_SESSION_ATTRS as readonly string[]).includes(value)
}

function parseHostPort(text: string): HostPort {
  const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(\d*))?$/.exec(text)
  const plain = /^([^:[\]]+)(?::(\d*))?$/.exec(text)
  const match = v6 ?? plain
  if (match === null) throw new Error(`DATABASE_URL: cannot read host ${JSON.stringify(text)}`)
  const host = decodeURIComponent(match[1] ?? '')
  const portText = match[2]
  const port = portText === undefined || portText === '' ? DEFAULT_PORT : Number(portText)
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`DATABASE_URL: not a port in ${JSON.stringify(text)}`)
  }
  return { host, port }
}

function formatHost({ host, port }: HostPort): string {
  return `${host.includes(':') ? `[${host}]` : encodeURIComponent(host)}:${port}`
}

/**
 * Reads a postgres:// URL with one or more `host[:port]` separated by commas and an optional
 * `target_session_attrs` (any, read-write, read-only, primary, standby, prefer-standby; default any).
 * A URL with one host and no target_session_attrs comes back as given (`multi: false`). Throws an error naming
 * DATABASE_URL (never quoting a password) for an unknown target_session_attrs or an unreadable host list.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const match = /^(postgres(?:ql)?:\/\/)(?:([^@/?#]*)@)?([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/.exec(url)
  if (match === null) {
    return { hosts: [], targetSessionAttrs: 'any', multi: false, url, urlFor: () => url }
  }
  const [, scheme = '', userinfo, netloc = '', path = '', query = ''] = match
  const params = new URLSearchParams(query.slice(1))
  const attrs = params.get('target_session_attrs') ?? 'any'
  if (!isAttrs(attrs)) {
    throw new Error(
      `DATABASE_URL: target_session_attrs must be one of ${TARGET_SESSION_ATTRS.join(', ')} (got ${JSON.stringify(attrs)})`,
    )
  }
  const hostTexts = netloc === '' ? [] : netloc.split(',')
  if (hostTexts.some((h) => h === '')) throw new Error('DATABASE_URL: empty host in the host list')
  const hosts = hostTexts.map(parseHostPort)
  const multi = hosts.length > 1 || attrs !== 'any'
  if (!multi && !params.has('target_session_attrs')) {
    return { hosts, targetSessionAttrs: attrs, multi, url, urlFor: () => url }
  }
  params.delete('target_session_attrs')
  const rest = `${path}${params.size > 0 ? `?${params.toString()}` : ''}`
  const auth = userinfo === undefined ? '' : `${userinfo}@`
  const urlFor = (host: HostPort) => `${scheme}${auth}${formatHost(host)}${rest}`
  const first = hosts[0]
  return {
    hosts,
    targetSessionAttrs: attrs,
    multi,
    url: first === undefined ? `${scheme}${auth}${rest}` : urlFor(first),
    urlFor,
  }
}

/** What a session reports about its server: enough to decide every target_session_attrs. */
export type SessionState = { inRecovery: boolean; readOnly: boolean }

export const SESSION_STATE_SQL =
  "SELECT pg_catalog.pg_is_in_recovery() AS in_recovery, pg_catalog.current_setting('transaction_read_only') = 'on' AS read_only"

/** Whether a session with `state` is acceptable for `attrs` (prefer-standby: only a standby; see HostPicker). */
export function acceptable(attrs: TargetSessionAttrs, state: SessionState): boolean {
  switch (attrs) {
    case 'any':
      return true
    case 'read-write':
      return !state.readOnly
    case 'read-only':
      return state.readOnly
    case 'primary':
      return !state.inRecovery
    case 'standby':
    case 'prefer-standby':
      return state.inRecovery
  }
}

function describe(state: SessionState): string {
  return state.inRecovery ? 'a standby (in recovery)' : state.readOnly ? 'read-only' : 'read-write'
}

export async function readSessionState(client: pg.ClientBase): Promise<SessionState> {
  const { rows } = await client.query<{ in_recovery: boolean; read_only: boolean }>(SESSION_STATE_SQL)
  const row = rows[0]
  if (row === undefined) throw new Error('no answer to the session state query')
  return { inRecovery: row.in_recovery, readOnly: row.read_only }
}

/** Connects to one host and reports its session state (null for `any`: no query needed). */
export type Probe = (host: HostPort) => Promise<SessionState | null>

/** No host of the list has the wanted attributes right now (all down, or only standbys during a promotion). */
export class NoUsableHostError extends Error {
  readonly code = 'GK_NO_USABLE_HOST'
  constructor(attrs: TargetSessionAttrs, tried: readonly string[]) {
    super(`no database host is ${attrs} (target_session_attrs): ${tried.join('; ')}`)
    this.name = 'NoUsableHostError'
  }
}

/**
 * Picks the host new connections go to: the remembered one, or the first acceptable host of the list, probed in
 * order. Concurrent callers share one probe. Callers report a host that failed them with `forget`.
 */
export class HostPicker {
  private current: HostPort | undefined
  private probing: Promise<HostPort> | undefined

  constructor(
    readonly target: Pick<DatabaseTarget, 'hosts' | 'targetSessionAttrs'>,
    private readonly probe: Probe,
  ) {}

  /** The host in use, if one is remembered. */
  remembered(): HostPort | undefined {
    return this.current
  }

  pick(): Promise<HostPort> {
    if (this.current !== undefined) return Promise.resolve(this.current)
    this.probing ??= this.search().finally(() => {
      this.probing = undefined
    })
    return this.probing
  }

  forget(host: HostPort): void {
    if (this.current !== undefined && this.current.host === host.host && this.current.port === host.port) {
      this.current = undefined
    }
  }

  private async search(): Promise<HostPort> {
    const attrs = this.target.targetSessionAttrs
    const tried: string[] = []
    const passes: TargetSessionAttrs[] = attrs === 'prefer-standby' ? ['standby', 'any'] : [attrs]
    const reachable = new Set<HostPort>()
    for (const pass of passes) {
      for (const host of this.target.hosts) {
        if (pass === 'any' && attrs === 'prefer-standby') {
          // Second pass of prefer-standby: any host that answered the first time will do.
          if (reachable.has(host)) return this.keep(host)
          continue
        }
        try {
          const state = await this.probe(host)
          reachable.add(host)
          if (state === null || acceptable(pass, state)) return this.keep(host)
          tried.push(`${formatHost(host)} is ${describe(state)}`)
        } catch (err) {
          tried.push(`${formatHost(host)}: ${err instanceof Error ? err.message : String(err)}`)
        }
      }
    }
    throw new NoUsableHostError(attrs, tried)
  }

  private keep(host: HostPort): HostPort {
    this.current = host
    return host
  }
}

type ClientConfig = pg.ClientConfig

/** A probe that opens a short-lived connection with the clients' own settings. */
export function connectionProbe(target: DatabaseTarget, config: ClientConfig): Probe {
  return async (host) => {
    const client = new pg.Client({
      ...config,
      connectionString: target.urlFor(host),
      application_name: config.application_name === undefined ? undefined : `${config.application_name}-probe`,
      connectionTimeoutMillis: config.connectionTimeoutMillis ?? 5000,
    })
    client.on('error', () => undefined)
    try {
      await client.connect()
      return target.targetSessionAttrs === 'any' ? null : await readSessionState(client)
    } finally {
      await client.end().catch(() => undefined)
    }
  }
}

export type HostListClientClass = typeof pg.Client & { picker: HostPicker }

/**
 * A pg.Client class whose instances connect to the host `picker` chooses and check the session's attributes once
 * connected; usable as a Pool's `Client`. A connection that fails, ends without being asked to, or turns out
 * unacceptable makes the picker forget its host, so the next connection searches the list again.
 */
export function hostListClientClass(picker: HostPicker): HostListClientClass {
  const attrs = picker.target.targetSessionAttrs
  class HostListClient extends pg.Client {
    static picker = picker
    private target: HostPort | undefined
    private closing = false

    // pg-pool calls connect(callback); applications await connect().
    override connect(): Promise<pg.Client>
    override connect(callback: ((err: Error) => void) | ((err: null, c: pg.Client) => void)): void
    override connect(
      callback?: ((err: Error) => void) | ((err: null, c: pg.Client) => void),
    ): Promise<pg.Client> | undefined {
      const done = this.connectToPicked().then(() => this as pg.Client)
      if (callback === undefined) return done
      const cb = callback as (err: Error | null, c?: pg.Client) => void
      done.then(
        (client) => cb(null, client),
        (err: unknown) => cb(err instanceof Error ? err : new Error(String(err))),
      )
      return undefined
    }

    override end(): Promise<void>
    override end(callback: (err: Error) => void): void
    override end(callback?: (err: Error) => void): Promise<void> | undefined {
      this.closing = true
      if (callback === undefined) return super.end()
      super.end(callback)
      return undefined
    }

    private async connectToPicked(): Promise<void> {
      const host = await picker.pick()
      // pg-pool's connection timeout destroys the socket while we were still choosing: give up like pg would.
      const self = this as unknown as {
        connection: { stream: { destroyed?: boolean } }
        connectionParameters: { host: string; port: number }
      }
      if (self.connection.stream.destroyed === true) throw new Error('Connection terminated due to connection timeout')
      this.target = host
      this.host = host.host
      this.port = host.port
      self.connectionParameters.host = host.host
      self.connectionParameters.port = host.port
      this.on('error', () => this.lost())
      this.on('end', () => this.lost())
      try {
        await super.connect()
      } catch (err) {
        picker.forget(host)
        throw err
      }
      if (attrs === 'any') return
      let state: SessionState
      try {
        state = await readSessionState(this)
      } catch (err) {
        picker.forget(host)
        await this.end().catch(() => undefined)
        throw err
      }
      if (!acceptable(attrs, state) && !(attrs === 'prefer-standby')) {
        picker.forget(host)
        await this.end().catch(() => undefined)
        throw new NoUsableHostError(attrs, [`${formatHost(host)} is now ${describe(state)}`])
      }
    }

    private lost(): void {
      if (!this.closing && this.target !== undefined) picker.forget(this.target)
    }
  }
  return HostListClient as unknown as HostListClientClass
}

export type ConnectionFactory = {
  target: DatabaseTarget
  /** What `new pg.Pool` takes: the URL, plus a host-list Client class when the URL needs one. */
  poolConfig(config: pg.PoolConfig): pg.PoolConfig
  /** A single client (LISTEN, migrations) on the same host list. */
  client(config: ClientConfig): pg.Client
}

/**
 * Connections for one DATABASE_URL. With a single host and no target_session_attrs, plain node-postgres; else
 * every pool and client made here shares one HostPicker. `probeConfig` carries settings the probes need too
 * (ssl, password function, timeouts).
 */
export function connectionFactory(url: string, probeConfig: ClientConfig = {}): ConnectionFactory {
  const target = parseDatabaseUrl(url)
  if (!target.multi) {
    return {
      target,
      poolConfig: (config) => ({ ...config, connectionString: url }),
      client: (config) => new pg.Client({ ...config, connectionString: url }),
    }
  }
  const picker = new HostPicker(target, connectionProbe(target, probeConfig))
  const HostListClient = hostListClientClass(picker)
  return {
    target,
    // Pooled connections are recycled after a minute, so one that stays open on a host that became read-only
    // without a restart (a switchover that only sets default_transaction_read_only) is re-checked in bounded time.
    poolConfig: (config) => ({
      maxLifetimeSeconds: 60,
      ...config,
      connectionString: target.url,
      Client: HostListClient,
    }),
    client: (config) => new HostListClient({ ...config, connectionString: target.url }),
  }
}

/**
 * The URL with its password replaced by `***`, every host kept (for logs). Never throws.
 */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:@/?#]*:)[^@/?#]*@/, '$1***@')
}

const UNAVAILABLE_SQLSTATES = new Set([
  '25006', // read_only_sql_transaction: a write reached a standby (or a primary being demoted)
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down, in recovery)
  '53300', // too_many_connections
])

const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection timeout/i,
  /not queryable/i,
  /Connection terminated unexpectedly/i,
]

const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
])

/**
 * Whether `err` (or its cause chain: drizzle wraps the driver's error) means the database is unreachable or is
 * switching primaries rather than that the statement was wrong: callers answer 503 and the client retries.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  let current: unknown = err
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    if (current instanceof NoUsableHostError) return true
    const code: unknown = Reflect.get(current, 'code')
    if (typeof code === 'string') {
      if (UNAVAILABLE_NODE_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08')) return true
    }
    const message: unknown = Reflect.get(current, 'message')
    // A failed query's message quotes its parameters (request values): only the driver's own messages count.
    const quotesQuery = typeof message === 'string' && message.startsWith('Failed query')
    if (typeof message === 'string' && !quotesQuery && UNAVAILABLE_MESSAGES.some((re) => re.test(message))) return true
    const errors: unknown = Reflect.get(current, 'errors')
    if (Array.isArray(errors) && errors.some((e) => isDatabaseUnavailable(e))) return true
    current = Reflect.get(current, 'cause')
  }
  return false
}
