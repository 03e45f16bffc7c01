import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Redis } from 'ioredis'
import { freePort, sleep } from './ports'
import { type ManagedProcess, startProcess } from './process'

/** The shared Redis every integration test may use (never stopped by tests). */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

/**
 * One Redis PING round trip on a fresh connection to `port` (Redis itself, or a relay in front of it): 'PONG',
 * 'reset' when the connection is refused, closed or answered otherwise, 'timeout' when nothing answers.
 */
export function pingRedis(port: number, timeoutMs = 500): Promise<'PONG' | 'reset' | 'timeout'> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' })
    const done = (result: 'PONG' | 'reset' | 'timeout') => {
      clearTimeout(timer)
      socket.destroy()
      resolve(result)
    }
    const timer = setTimeout(() => done('timeout'), timeoutMs)
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.once('data', (chunk) => done(chunk.toString().startsWith('+PONG') ? 'PONG' : 'reset'))
    socket.once('error', () => done('reset'))
    socket.once('close', () => done('reset'))
  })
}

/** A key prefix no other test (or test run) uses. */
export function uniquePrefix(): string {
  return `gktest:${randomUUID()}:`
}

/** Deletes every key under `prefix` from the shared Redis. */
export async function deleteKeys(prefix: string, url = REDIS_URL): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 })
  try {
    await redis.connect()
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
      if (keys.length > 0) await redis.del(...keys)
      cursor = next
    } while (cursor !== '0')
  } finally {
    redis.disconnect()
  }
}

export async function countKeys(prefix: string, url = REDIS_URL): Promise<number> {
  const redis = new Redis(url)
  try {
    return (await redis.keys(`${prefix}*`)).length
  } finally {
    redis.disconnect()
  }
}

const run = promisify(execFile)

/**
 * A private redis-server on a random port, for tests that stop, pause, kill or restart Redis, or count the commands
 * a client sends. No persistence. Only this process (by its handle) is ever signalled; the shared Redis is left
 * alone. Its output is kept (`process.tail()`) for error messages.
 */
export class PrivateRedis {
  private child: ManagedProcess | undefined
  /**
   * @param extraArgs appended to redis-server's command line (cluster, replication or sentinel settings);
   * @param configFile when given, passed first (Sentinel requires a writable config file).
   */
  private constructor(
    readonly port: number,
    private readonly extraArgs: readonly string[] = [],
    private readonly configFile?: string,
  ) {}

  static async start(extraArgs: readonly string[] = [], configFile?: string): Promise<PrivateRedis> {
    return PrivateRedis.startOn(await freePort(), extraArgs, configFile)
  }

  /** Starts on a port chosen by the caller (a config file that names the port must be written first). */
  static async startOn(port: number, extraArgs: readonly string[] = [], configFile?: string): Promise<PrivateRedis> {
    const r = new PrivateRedis(port, extraArgs, configFile)
    await r.start()
    return r
  }

  /** True while the process runs (false after stop/shutdown or a crash). */
  get running(): boolean {
    return this.child?.running ?? false
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`
  }

  /** The current run's process (its output, for error messages). */
  get process(): ManagedProcess | undefined {
    return this.child
  }

  /** (Re)starts the server on its port and waits until it answers PING. */
  async start(): Promise<void> {
    const args = [
      ...(this.configFile ? [this.configFile] : []),
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      ...this.extraArgs,
    ]
    const child = startProcess({
      name: `redis-${this.port}`,
      command: process.env.REDIS_SERVER ?? 'redis-server',
      args,
    })
    this.child = child
    for (let i = 0; i < 100; i++) {
      if (await this.ping()) return
      if (!child.running) break
      await sleep(50)
    }
    throw new Error(`redis-server on port ${this.port} did not start:\n${child.tail()}`)
  }

  async ping(): Promise<boolean> {
    try {
      const { stdout } = await run('redis-cli', ['-p', String(this.port), 'ping'], { timeout: 1000 })
      return stdout.trim() === 'PONG'
    } catch {
      return false
    }
  }

  async cli(...args: string[]): Promise<string> {
    const { stdout } = await run('redis-cli', ['-p', String(this.port), ...args], { timeout: 2000 })
    return stdout.trim()
  }

  /** Runs one command on a fresh connection (so it does not count in commandstats before it runs). */
  async command(...args: string[]): Promise<unknown> {
    const redis = new Redis(this.url, { maxRetriesPerRequest: 0 })
    try {
      const [name, ...rest] = args
      return await redis.call(name ?? 'PING', ...rest)
    } finally {
      redis.disconnect()
    }
  }

  /**
   * Records the commands clients send (MONITOR), leaving out those a Lua script runs itself: what one call costs
   * in round trips. `stop()` returns them, lower-case command names first.
   */
  async record(): Promise<{ stop(): Promise<string[][]> }> {
    const client = new Redis(this.url, { maxRetriesPerRequest: 0 })
    const monitor = await client.monitor()
    const seen: string[][] = []
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (source !== 'lua') seen.push([String(args[0]).toLowerCase(), ...args.slice(1)])
    })
    return {
      async stop() {
        await sleep(50)
        monitor.disconnect()
        client.disconnect()
        return seen
      },
    }
  }

  /** Clean shutdown, as an operator would stop it. */
  async shutdown(): Promise<void> {
    const child = this.child
    if (!child?.running) return
    await run('redis-cli', ['-p', String(this.port), 'shutdown', 'nosave'], { timeout: 2000 }).catch(() => undefined)
    await child.exited
  }

  /** Freezes the server: connections stay open but nothing is answered (a hung Redis). */
  pause(): void {
    this.child?.signal('SIGSTOP')
  }

  resume(): void {
    this.child?.signal('SIGCONT')
  }

  /** SIGKILL, no grace: a crash (or a master lost in a failover test). */
  async kill(): Promise<void> {
    const child = this.child
    if (!child?.running) return
    child.signal('SIGCONT')
    child.signal('SIGKILL')
    await child.exited
  }

  /** SIGTERM, then SIGKILL after 3 s. */
  async stop(): Promise<void> {
    await this.child?.stop(3000)
  }
}

async function waitFor(what: string, deadlineMs: number, check: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + deadlineMs
  while (Date.now() < until) {
    if (await check().catch(() => false)) return
    await sleep(100)
  }
  throw new Error(`timed out waiting for ${what}`)
}

async function killAll(servers: readonly PrivateRedis[], dir: string): Promise<void> {
  await Promise.all(servers.map((s) => s.kill()))
  await rm(dir, { recursive: true, force: true })
}

/**
 * A private Redis Cluster on loopback: `masters` masters with one replica each (redis-cli --cluster create), short
 * node timeout (1 s) so a killed master fails over within seconds, no persistence, everything in one temp dir that
 * stop() removes. Cluster bus ports are chosen free too (the default port+10000 may not exist above 55535).
 */
export class RedisClusterFixture {
  private constructor(
    readonly nodes: PrivateRedis[],
    private readonly dir: string,
  ) {}

  static async start(masters = 3): Promise<RedisClusterFixture> {
    const dir = await mkdtemp(join(tmpdir(), 'gk-redis-cluster-'))
    const nodes: PrivateRedis[] = []
    try {
      // Every data and bus port distinct: freePort() releases its port, so two calls could return the same one.
      const ports = new Set<number>()
      while (ports.size < masters * 4) ports.add(await freePort())
      const [dataPorts, busPorts] = [[...ports].slice(0, masters * 2), [...ports].slice(masters * 2)]
      for (let i = 0; i < masters * 2; i++) {
        const busPort = busPorts[i] ?? 0
        nodes.push(
          await PrivateRedis.startOn(dataPorts[i] ?? 0, [
            '--cluster-enabled',
            'yes',
            '--cluster-port',
            String(busPort),
            '--cluster-config-file',
            join(dir, `nodes-${i}.conf`),
            '--cluster-node-timeout',
            '1000',
            // Redis 7 waits 5 s before a diskless full sync; a replica that has not synced refuses to fail over.
            '--repl-diskless-sync-delay',
            '0',
            '--dir',
            dir,
          ]),
        )
      }
      const addrs = nodes.map((n) => `127.0.0.1:${n.port}`)
      await run('redis-cli', ['--cluster', 'create', ...addrs, '--cluster-replicas', '1', '--cluster-yes'], {
        timeout: 20_000,
      })
      const fixture = new RedisClusterFixture(nodes, dir)
      await fixture.waitHealthy()
      await waitFor('every replica in sync', 15_000, async () => {
        const infos = await Promise.all(nodes.map((n) => n.cli('info', 'replication')))
        const replicas = infos.filter((i) => i.includes('role:slave'))
        return replicas.length === masters && replicas.every((i) => i.includes('master_link_status:up'))
      })
      return fixture
    } catch (err) {
      await killAll(nodes, dir)
      throw err
    }
  }

  /** `redis+cluster://` URL naming every node as a seed. */
  get url(): string {
    return `redis+cluster://${this.nodes.map((n) => `127.0.0.1:${n.port}`).join(',')}`
  }

  /** Resolves once every running node reports cluster_state:ok and all 16384 slots are served. */
  async waitHealthy(deadlineMs = 15_000): Promise<void> {
    await waitFor('cluster_state:ok', deadlineMs, async () => {
      const infos = await Promise.all(this.nodes.filter((n) => n.running).map((n) => n.cli('cluster', 'info')))
      return infos.every((i) => i.includes('cluster_state:ok') && i.includes('cluster_slots_ok:16384'))
    })
  }

  /** The node currently serving `key` as master (from one CLUSTER NODES view of a running node). */
  async masterFor(key: string): Promise<PrivateRedis> {
    const alive = this.nodes.find((n) => n.running)
    if (!alive) throw new Error('no cluster node is running')
    const slot = Number(await alive.cli('cluster', 'keyslot', key))
    for (const line of (await alive.cli('cluster', 'nodes')).split('\n')) {
      // <id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <link> <slot ranges...>
      const fields = line.split(' ')
      if (!fields[2]?.includes('master') || fields[2].includes('fail')) continue
      const port = Number(fields[1]?.split('@')[0]?.split(':')[1])
      for (const range of fields.slice(8)) {
        const [from, to] = range.split('-').map(Number)
        if (from !== undefined && slot >= from && slot <= (to ?? from)) {
          const node = this.nodes.find((n) => n.port === port)
          if (node) return node
        }
      }
    }
    throw new Error(`no running master serves slot ${slot}`)
  }

  async stop(): Promise<void> {
    await killAll(this.nodes, this.dir)
  }
}

/**
 * A private Sentinel set-up on loopback: one master, one replica, three sentinels (quorum 2, down-after 1 s) monitoring
 * it as `masterName`; no persistence; one temp dir removed by stop().
 */
export class RedisSentinelFixture {
  private constructor(
    readonly master: PrivateRedis,
    readonly replica: PrivateRedis,
    readonly sentinels: PrivateRedis[],
    readonly masterName: string,
    private readonly dir: string,
  ) {}

  static async start(masterName = 'gkmaster'): Promise<RedisSentinelFixture> {
    const dir = await mkdtemp(join(tmpdir(), 'gk-redis-sentinel-'))
    const started: PrivateRedis[] = []
    try {
      const repl = ['--dir', dir, '--repl-diskless-sync', 'yes', '--repl-diskless-sync-delay', '0']
      const master = await PrivateRedis.start(repl)
      started.push(master)
      const replica = await PrivateRedis.start([...repl, '--replicaof', '127.0.0.1', String(master.port)])
      started.push(replica)
      await waitFor('replica in sync', 10_000, async () =>
        (await replica.cli('info', 'replication')).includes('master_link_status:up'),
      )
      const sentinels: PrivateRedis[] = []
      for (let i = 0; i < 3; i++) {
        const port = await freePort()
        const conf = join(dir, `sentinel-${i}.conf`)
        await writeFile(
          conf,
          [
            `dir ${dir}`,
            `sentinel monitor ${masterName} 127.0.0.1 ${master.port} 2`,
            `sentinel down-after-milliseconds ${masterName} 1000`,
            `sentinel failover-timeout ${masterName} 5000`,
            `sentinel parallel-syncs ${masterName} 1`,
            '',
          ].join('\n'),
        )
        const s = await PrivateRedis.startOn(port, ['--sentinel'], conf)
        started.push(s)
        sentinels.push(s)
      }
      const fixture = new RedisSentinelFixture(master, replica, sentinels, masterName, dir)
      // Sentinels must have found the replica and each other before a failover can be agreed on.
      await waitFor('sentinels to discover the replica and each other', 15_000, async () => {
        const views = await Promise.all(sentinels.map((s) => s.cli('sentinel', 'master', masterName)))
        return views.every((v) => /num-slaves\n1\b/.test(v) && /num-other-sentinels\n2\b/.test(v))
      })
      return fixture
    } catch (err) {
      await killAll(started, dir)
      throw err
    }
  }

  get url(): string {
    return `redis+sentinel://${this.sentinels.map((s) => `127.0.0.1:${s.port}`).join(',')}/${this.masterName}`
  }

  /** The port of the master as the first running sentinel reports it. */
  async currentMasterPort(): Promise<number> {
    const s = this.sentinels.find((x) => x.running)
    if (!s) throw new Error('no sentinel is running')
    const reply = await s.cli('sentinel', 'get-master-addr-by-name', this.masterName)
    return Number(reply.split('\n')[1])
  }

  async stop(): Promise<void> {
    await killAll([...this.sentinels, this.replica, this.master], this.dir)
  }
}

export interface FailoverRun {
  /** When the killed master's process had exited. */
  killedAt: number
  /** The first allowed decision after the last failed one: the end of the unavailable window. */
  recoveredAt: number | undefined
  /** Every outcome other than 'allowed' from the kill on. */
  failed: ReadonlyArray<{ at: number; outcome: string }>
  /** Outcomes after the failover had settled (a success after at least one failure, or 5 s without any). */
  settled: ReadonlyArray<{ at: number; outcome: string }>
}

/**
 * Keeps `decide` busy, kills the master with `kill`, and waits until decisions fail and then succeed again.
 * The clock starts once the process has exited: decisions answered by the old master before it died are
 * not a recovery.
 */
export async function measureFailover(
  decide: () => Promise<{ outcome: string }>,
  kill: () => Promise<void>,
  deadlineMs: number,
): Promise<FailoverRun> {
  let stopped = false
  const outcomes: { at: number; outcome: string }[] = []
  const load = (async () => {
    while (!stopped) {
      const r = await decide()
      outcomes.push({ at: Date.now(), outcome: r.outcome })
      await sleep(5)
    }
  })()
  await sleep(300)
  await kill()
  const killedAt = Date.now()
  const failedSince = () => outcomes.some((o) => o.at >= killedAt && o.outcome !== 'allowed')
  const until = killedAt + deadlineMs
  while (Date.now() < until) {
    const last = outcomes.at(-1)
    const recovered = last !== undefined && last.at > killedAt && last.outcome === 'allowed'
    if (recovered && (failedSince() || Date.now() - killedAt > 5_000)) break
    await sleep(50)
  }
  const settledAt = Date.now()
  await sleep(500)
  stopped = true
  await load
  const failed = outcomes.filter((o) => o.at >= killedAt && o.outcome !== 'allowed')
  const lastFailureAt = failed.at(-1)?.at ?? killedAt
  const recoveredAt = outcomes.find((o) => o.at > lastFailureAt && o.outcome === 'allowed')?.at
  return { killedAt, recoveredAt, failed, settled: outcomes.filter((o) => o.at > settledAt) }
}
