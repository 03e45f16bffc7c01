// Instructions per request, counted by valgrind's callgrind: unlike req/s or CPU time on a shared machine, the
// count is the same run after run (within a few %), so it is the figure to compare an optimisation with.
// `pnpm --filter @gatekeeper/bench instructions [requests]` (valgrind from Debian's packages; ~5 minutes). It starts the
// minimal Hono server and authz (the production bundle) under callgrind with instrumentation off, warms them up,
// then counts user-space instructions (all threads; kernel work such as socket writes is not counted) over
// fixed numbers of keep-alive requests with the headers of each scenario.
//
// To see where the instructions go: INSTRUCTIONS_KINDS=api_key (a subset), KEEP_CALLGRIND=1 (keep the dumps and print
// their folder) and NODE_OPTIONS=--perf-basic-prof (node writes /tmp/perf-<pid>.map, which names the JIT code
// addresses callgrind_annotate shows as ???; docs/performance.md shows how they were read).

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
import { type DirectKind, directRequest } from './requests'
import { createWorld } from './world'

const run = promisify(execFile)

async function send(port: number, path: string, headers: Record<string, string>, n: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 10 })
  let next = 0
  const worker = async () => {
    while (next < n) {
      next++
      await new Promise<void>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path, headers, agent }, (res) => {
          res.resume()
          res.on('end', resolve)
        })
          .on('error', reject)
          .end()
      })
    }
  }
  await Promise.all(Array.from({ length: 10 }, worker))
  agent.destroy()
}

interface Counted {
  name: string
  perRequest: number[]
}

async function count(
  name: string,
  command: { args: string[]; cwd: string; env: Record<string, string | undefined> },
  port: number,
  headers: Record<string, string>,
  dir: string,
  n: number,
): Promise<Counted> {
  const out = join(dir, `${name}.cg`)
  const log = openSync(join(dir, `${name}.log`), 'a')
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      `--callgrind-out-file=${out}`,
      '--smc-check=all-non-file',
      '--instr-atstart=no',
      ...command.args,
    ],
    { cwd: command.cwd, env: command.env, stdio: ['ignore', log, log] },
  )
  closeSync(log)
  const pid = String(child.pid)
  try {
    await waitFor(
      `${name} under valgrind`,
      async () => ((await httpGet(port, '/health').catch(() => undefined)) ? true : undefined),
      180_000,
    )
    await send(port, '/authz', headers, 3000) // JIT warm-up, uncounted
    await run('callgrind_control', ['-i', 'on', pid])
    await send(port, '/authz', headers, 2000) // re-warm with instrumentation on, then discard
    await run('callgrind_control', ['-d', pid])
    const perRequest: number[] = []
    for (let i = 0; i < 2; i++) {
      await send(port, '/authz', headers, n)
      await run('callgrind_control', ['-d', pid])
    }
    const dumps = readdirSync(dir)
      .filter((f) => f.startsWith(`${name}.cg.`))
      .sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop()))
      .slice(-2)
    for (const dump of dumps) {
      const summary = /^summary: (\d+)$/m.exec(readFileSync(join(dir, dump), 'utf8'))
      perRequest.push(Number(summary?.[1] ?? Number.NaN) / n)
    }
    return { name, perRequest }
  } finally {
    child.kill('SIGTERM')
    await sleep(500)
    child.kill('SIGKILL')
  }
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? '4000')
  const dir = mkdtempSync(join(tmpdir(), 'gk-instructions-'))
  const world = await createWorld({ routes: 10, clients: 100 })
  try {
    // GATEKEEPER_AUTHZ_BUNDLE: count an authz built elsewhere (e.g. an older commit's bundle, for before/after).
    const bundle = process.env.GATEKEEPER_AUTHZ_BUNDLE ?? (await buildAuthzBundle())
    const results: Counted[] = []
    const baselinePort = await freePort()
    results.push(
      await count(
        'baseline',
        {
          args: [process.execPath, '--import', 'tsx', BASELINE_MAIN],
          cwd: REPO_ROOT,
          env: { ...process.env, BASELINE_PORT: String(baselinePort) },
        },
        baselinePort,
        { ...directRequest('api_key', world.fixtures).headers },
        dir,
        n,
      ),
    )
    const kinds = (process.env.INSTRUCTIONS_KINDS?.split(',') ?? [
      'public',
      'api_key',
      'denied',
      'unmatched',
    ]) as DirectKind[]
    for (const kind of kinds) {
      const port = await freePort()
      const env = {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: world.db.url,
        GATEKEEPER_MASTER_KEY: world.masterKey,
        AUTHZ_HOST: '127.0.0.1',
        AUTHZ_PORT: String(port),
        TRUSTED_FORWARDER_IPS: '127.0.0.1',
        LOG_LEVEL: 'info',
        AUDIT_LOG: 'true',
      }
      results.push(
        await count(
          `authz-${kind}`,
          { args: [process.execPath, bundle], cwd: AUTHZ_DIR, env },
          port,
          { ...directRequest(kind, world.fixtures).headers },
          dir,
          n,
        ),
      )
    }
    const base = Math.min(...(results[0]?.perRequest ?? [Number.NaN]))
    for (const r of results) {
      const low = Math.min(...r.perRequest)
      process.stdout.write(
        `${r.name.padEnd(18)} ${r.perRequest
          .map((x) => `${(x / 1000).toFixed(0)}k`)
          .join(' / ')
          .padStart(14)} instructions per request  (x${(low / base).toFixed(2)} baseline)\n`,
      )
    }
  } finally {
    await world.close()
    if (process.env.KEEP_CALLGRIND === undefined) rmSync(dir, { recursive: true, force: true })
    else process.stdout.write(`callgrind dumps kept in ${dir}\n`)
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`instructions: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    process.exit(1)
  },
)
