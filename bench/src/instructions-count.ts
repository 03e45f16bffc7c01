// Instructions per request, counted by valgrind's callgrind: unlike req/s or CPU time on a shared machine, the
// count is the same run after run (within a few %), so it is the figure to compare an optimisation with and the
// one the budget guard (instructions-budget.sys.test.ts) checks.
//
// One authz (the production bundle, Redis for nonces and limits) runs under callgrind with instrumentation off
// and answers every scenario in turn from the same process, as a replica answers mixed traffic: per scenario a
// warm-up (JIT, uncounted), then two samples of `requests` keep-alive requests over 10 connections, each ended by
// a dump. User-space instructions of every thread are counted; kernel work (socket reads and writes) is not.
// Each request is checked for the scenario's status, so a count never measures another decision than it names.

import { execFile, spawn } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort, sleep, waitFor } from '@gatekeeper/testkit/ports'
import { buildAuthzBundle } from './build-authz'
import { httpGet } from './http'
import { AUTHZ_DIR, BASELINE_MAIN, REPO_ROOT } from './paths'
import { deleteRedisPrefix } from './redis-cleanup'
import { type BenchRequest, type DirectKind, directRequest } from './requests'
import { createWorld } from './world'

const run = promisify(execFile)

/**
 * Optimise sooner (a budget 8x below V8's default): with the default, functions called once per request were still
 * being optimised thousands of requests in, and one build's successive samples read 190k, 177k, 170k, 168k.
 * What is counted once warm is the same optimised code. (Optimising on the main thread instead,
 * --no-concurrent-recompilation, stalled the process under valgrind for over a second at a time, long enough for
 * ioredis to drop its Redis connection: signed requests failed.)
 *
 * And hold the young generation at the size a busy process grows it to within seconds (16 MB semi-spaces): V8
 * shrinks it for a process it sees allocating slowly, as every process is under valgrind, and then scavenges
 * several times as often. Without this a signed request's count depended on the machine's load and on the
 * scenarios counted before it (HMAC v1 at a load average of ~20: 305.6k, against 251.7k pinned; on a quiet machine
 * 239.6k against 233.6k), which a budget cannot tell from a regression.
 */
const V8_FLAGS = (process.env.INSTRUCTIONS_V8_FLAGS ?? '--interrupt-budget=16384 --min-semi-space-size=16')
  .split(' ')
  .filter(Boolean)

/** The scenarios counted by default (and budgeted): what the benchmark's table reports per decision. */
export const DEFAULT_KINDS: readonly DirectKind[] = ['public', 'api_key', 'denied', 'garbage', 'unmatched', 'hmac_v1']

export interface CountOptions {
  kinds?: readonly DirectKind[]
  /** Requests per sample (two samples per scenario). */
  requests?: number
  /** Uncounted requests before each scenario's samples. */
  warmup?: number
  /** Samples per scenario (default 3). */
  samples?: number
  /** Also count the minimal Hono server (its own process). */
  baseline?: boolean
  /** An authz bundle built elsewhere (an older commit's, for before/after); default: build this tree's. */
  bundle?: string
  redisUrl?: string
  /** Keep the callgrind dumps (returned as `dir`). */
  keep?: boolean
  log?: (line: string) => void
}

/** Instructions per request of each sample (see Split). */
export interface Samples {
  work: number[]
  background: number[]
}

export interface CountResult {
  /** Per scenario (and `baseline`). */
  samples: Record<string, Samples>
  requests: number
  dir: string
}

/**
 * A scenario's figure: the lowest of its samples. What disturbs a count only adds (a first sample still running
 * some unoptimised code, a timer's work falling into it), so the lowest is the closest to the request's own cost.
 */
export function lowest(values: readonly number[]): number {
  return Math.min(...values)
}

const k = (x: number) => `${(x / 1000).toFixed(1)}k`

/** `152.3k / 151.9k (+ 40.1k / 95.2k JIT and major GC)` */
export function describe(s: Samples): string {
  return `${s.work.map(k).join(' / ')}  (+ ${s.background.map(k).join(' / ')} JIT and major GC)`
}

/**
 * `n` requests over 10 keep-alive connections. `strict`: every reply must have the scenario's status (counted
 * samples). During the warm-up a few may not: V8 optimising a large function on the main thread can stall a
 * process under valgrind for over a second, and ioredis then gives up on the Redis connection (its 1 s socket
 * timeout), which a signed request meets as 503 store_unavailable.
 */
async function send(port: number, req: BenchRequest, n: number, strict = true): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 10 })
  let next = 0
  let unexpected = 0
  const worker = async () => {
    while (next < n) {
      next++
      const headers: Record<string, string> = { ...req.headers }
      if (req.sign !== undefined) {
        const s = req.sign()
        headers.Authorization = s.authorization
        if (s.contentDigest !== undefined) headers['Content-Digest'] = s.contentDigest
      }
      const reply = await new Promise<{ status: number; reason: string }>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path: req.path, headers, agent }, (res) => {
          res.resume()
          const reason = String(res.headers['x-auth-reason'])
          res.on('end', () => resolve({ status: res.statusCode ?? 0, reason }))
        })
          .on('error', reject)
          .end()
      })
      if (reply.status !== req.expect && (strict || ++unexpected > n / 10)) {
        throw new Error(`${req.path}: status ${reply.status} (${reply.reason}), expected ${req.expect}`)
      }
    }
  }
  try {
    await Promise.all(Array.from({ length: 10 }, worker))
  } finally {
    agent.destroy()
  }
}

/**
 * One dump split in two. `work`: what the main thread executed for the requests (node, the app, V8's builtins and
 * interpreter, young-generation GC). `background`: V8's optimising compilers (TurboFan, Maglev) and the old-generation
 * GC (marking, sweeping, compaction), on the main thread or V8's helper threads. Under valgrind V8 keeps compiling
 * for tens of thousands of requests, and one major GC is ~100M instructions whose timing falls into one sample or
 * another: `background` swings by a factor of two between samples of the same build, `work` by a few percent.
 */
export interface Split {
  work: number
  background: number
}

const BACKGROUND =
  /v8::internal::(compiler|maglev|turboshaft)::|MarkCompact|ConcurrentMarking|IncrementalMarking|MarkingVisitor|MarkingWorklist|Sweeper|MarkingBarrier|Evacuat|PagedSpace|SweepingState|MemoryReducer|CodeFlush|ArrayBufferSweeper/

/** Self cost per function of one callgrind file (the `fn=` / cost lines; calls' inclusive costs are skipped). */
function splitDump(text: string, mainThread: boolean): Split {
  const names = new Map<string, string>()
  let background = false
  let afterCalls = false
  const split: Split = { work: 0, background: 0 }
  for (const line of text.split('\n')) {
    if (line.startsWith('fn=')) {
      const m = /^fn=\((\d+)\)(?: (.*))?$/.exec(line)
      const id = m?.[1] ?? line
      if (m?.[2] !== undefined) names.set(id, m[2])
      background = !mainThread || BACKGROUND.test(names.get(id) ?? '')
      afterCalls = false
    } else if (line.startsWith('cfn=')) {
      const m = /^cfn=\((\d+)\) (.*)$/.exec(line)
      if (m?.[1] !== undefined && m[2] !== undefined) names.set(m[1], m[2])
    } else if (line.startsWith('calls=')) {
      afterCalls = true
    } else if (/^[0-9+*-]/.test(line)) {
      if (afterCalls) {
        afterCalls = false // the inclusive cost of a call, counted where it was spent
        continue
      }
      const cost = Number(line.split(' ')[1] ?? 0)
      if (background) split.background += cost
      else split.work += cost
    }
  }
  return split
}

interface Valgrind {
  pid: string
  /** Writes a dump per thread (and zeroes the counters); returns its instructions, split. */
  dump(): Promise<Split>
  stop(): Promise<void>
}

async function underCallgrind(
  name: string,
  command: { args: string[]; cwd: string; env: Record<string, string | undefined> },
  port: number,
  dir: string,
): Promise<Valgrind> {
  const out = join(dir, `${name}.cg`)
  const log = openSync(join(dir, `${name}.log`), 'a')
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      `--callgrind-out-file=${out}`,
      '--smc-check=all-non-file',
      '--instr-atstart=no',
      '--separate-threads=yes',
      ...command.args,
    ],
    { cwd: command.cwd, env: command.env, stdio: ['ignore', log, log] },
  )
  closeSync(log)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const pid = String(child.pid)
  const stop = async () => {
    child.kill('SIGTERM')
    await Promise.race([exited, sleep(2000)])
    child.kill('SIGKILL')
  }
  try {
    await waitFor(
      `${name} under valgrind`,
      async () => ((await httpGet(port, '/health').catch(() => undefined))?.status === 200 ? true : undefined),
      180_000,
    )
  } catch (err) {
    await stop()
    throw err
  }
  let dumps = 0
  return {
    pid,
    async dump() {
      await run('callgrind_control', ['-d', pid])
      dumps++
      // One file per thread: <name>.cg.<dump>-<thread>, thread 01 the main thread.
      const files = readdirSync(dir).filter((f) => f.startsWith(`${name}.cg.${dumps}-`))
      if (files.length === 0) throw new Error(`${name}: callgrind dump ${dumps} not written`)
      const total: Split = { work: 0, background: 0 }
      for (const file of files) {
        const split = splitDump(readFileSync(join(dir, file), 'utf8'), file.endsWith('-01'))
        total.work += split.work
        total.background += split.background
      }
      return total
    },
    stop,
  }
}

async function sample(
  vg: Valgrind,
  port: number,
  req: BenchRequest,
  warmup: number,
  n: number,
  count: number,
): Promise<Samples> {
  // Warm-up with instrumentation off (several times faster under valgrind), then a few requests with it on so
  // valgrind's instrumented translations exist, discarded with the dump.
  await run('callgrind_control', ['-i', 'off', vg.pid])
  await send(port, req, warmup, false)
  await run('callgrind_control', ['-i', 'on', vg.pid])
  await send(port, req, 200, false)
  await vg.dump()
  const samples: Samples = { work: [], background: [] }
  for (let i = 0; i < count; i++) {
    await send(port, req, n)
    const split = await vg.dump()
    samples.work.push(split.work / n)
    samples.background.push(split.background / n)
  }
  return samples
}

export async function countInstructions(options: CountOptions = {}): Promise<CountResult> {
  const n = options.requests ?? 4000
  const warmup = options.warmup ?? 4000
  const count = options.samples ?? 3
  const kinds = options.kinds ?? DEFAULT_KINDS
  const log = options.log ?? (() => undefined)
  const redisUrl = options.redisUrl ?? process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
  const redisKeyPrefix = `gk-instructions-${process.pid}-${Date.now()}:`
  const dir = mkdtempSync(join(tmpdir(), 'gk-instructions-'))
  const world = await createWorld({ routes: 10, clients: 100 })
  const samples: Record<string, Samples> = {}
  try {
    const bundle = options.bundle ?? (await buildAuthzBundle())
    if (options.baseline === true) {
      const port = await freePort()
      const vg = await underCallgrind(
        'baseline',
        {
          args: [process.execPath, ...V8_FLAGS, '--import', 'tsx', BASELINE_MAIN],
          cwd: REPO_ROOT,
          env: { ...process.env, BASELINE_PORT: String(port) },
        },
        port,
        dir,
      )
      try {
        samples.baseline = await sample(vg, port, directRequest('api_key', world.fixtures), warmup, n, count)
        log(`baseline: ${describe(samples.baseline)}`)
      } finally {
        await vg.stop()
      }
    }
    const port = await freePort()
    const vg = await underCallgrind(
      'authz',
      {
        args: [process.execPath, ...V8_FLAGS, bundle],
        cwd: AUTHZ_DIR,
        env: {
          ...process.env,
          NODE_ENV: 'production',
          DATABASE_URL: world.db.url,
          GATEKEEPER_MASTER_KEY: world.masterKey,
          AUTHZ_HOST: '127.0.0.1',
          AUTHZ_PORT: String(port),
          TRUSTED_FORWARDER_IPS: '127.0.0.1',
          REDIS_URL: redisUrl,
          REDIS_KEY_PREFIX: redisKeyPrefix,
          // Under valgrind authz runs ~50x slower and a major GC stalls it for seconds: the default deadline, and
          // ioredis' 1 s socket timeout, would fail signed requests (503 store_unavailable) for a slow process.
          REDIS_TIMEOUT_MS: '10000',
          REDIS_SOCKET_TIMEOUT_MS: '60000',
          LOG_LEVEL: 'info',
          AUDIT_LOG: 'true',
        },
      },
      port,
      dir,
    )
    try {
      for (const kind of kinds) {
        samples[kind] = await sample(vg, port, directRequest(kind, world.fixtures), warmup, n, count)
        log(`${kind}: ${describe(samples[kind])}`)
      }
    } catch (err) {
      // What authz said about it: its warnings and the audit lines of refusals it was not expected to make.
      const said = readFileSync(join(dir, 'authz.log'), 'utf8')
        .split('\n')
        .filter((line) => /"level":"(warn|error)"|"status":(401|503)/.test(line))
        .slice(-5)
      throw new Error(`${err instanceof Error ? err.message : String(err)}\n${said.join('\n')}`)
    } finally {
      await vg.stop()
    }
    return { samples, requests: n, dir }
  } finally {
    await world.close()
    await deleteRedisPrefix(redisUrl, redisKeyPrefix).catch(() => undefined)
    if (options.keep !== true) rmSync(dir, { recursive: true, force: true })
  }
}
