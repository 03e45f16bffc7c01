import { spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

// `gatekeeper start` serves the web console from apps/console/dist. A fresh clone has no dist, and a
// `git pull` can leave it behind its sources: the console is rebuilt then, and only then (a build
// takes tens of seconds; comparing modification times takes milliseconds).

export type ConsoleDist = { ok: true; distDir: string; built: boolean } | { ok: false; reason: string }

type Log = (message: string) => void

/** Newest modification time (ms) of the files under `entries` (files or directories), 0 when none exist. */
function newestMtime(entries: ReadonlyArray<string>): number {
  let newest = 0
  const visit = (entry: string) => {
    let stats: ReturnType<typeof statSync>
    try {
      stats = statSync(entry)
    } catch {
      return
    }
    if (stats.isDirectory()) {
      for (const name of readdirSync(entry)) if (name !== 'node_modules') visit(path.join(entry, name))
    } else if (stats.mtimeMs > newest) {
      newest = stats.mtimeMs
    }
  }
  for (const entry of entries) visit(entry)
  return newest
}

/** What the console build is made of: its own sources and the shared schemas compiled into it. */
function consoleInputs(appsDir: string): string[] {
  const consoleDir = path.join(appsDir, 'console')
  return [
    path.join(consoleDir, 'src'),
    path.join(consoleDir, 'index.html'),
    path.join(consoleDir, 'vite.config.ts'),
    path.join(consoleDir, 'package.json'),
    path.join(appsDir, '..', 'packages', 'models', 'src'),
  ]
}

/** Whether dist/index.html is missing or older than any source the build is made from. */
export function consoleBuildIsStale(appsDir: string): boolean {
  const index = path.join(appsDir, 'console', 'dist', 'index.html')
  if (!existsSync(index)) return true
  return newestMtime(consoleInputs(appsDir)) > statSync(index).mtimeMs
}

function viteBin(consoleDir: string): string | undefined {
  try {
    const pkg = createRequire(path.join(consoleDir, 'package.json')).resolve('vite/package.json')
    const bin = path.join(path.dirname(pkg), 'bin', 'vite.js')
    return existsSync(bin) ? bin : undefined
  } catch {
    return undefined
  }
}

function runViteBuild(consoleDir: string, bin: string): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'build', '--logLevel', 'warn'], {
      cwd: consoleDir,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-8000)
    }
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    child.on('error', (err) => resolve({ ok: false, output: err.message }))
    child.on('exit', (code) => resolve({ ok: code === 0, output }))
  })
}

/**
 * The console build to serve: CONSOLE_DIST_DIR when the operator set one (used as is), otherwise
 * apps/console/dist, built first when it is missing or stale. A failed build does not stop the rest
 * of gatekeeper from starting: the reason is returned and printed instead of the console URL.
 */
export async function ensureConsoleDist(env: NodeJS.ProcessEnv, appsDir: string, log: Log): Promise<ConsoleDist> {
  if (env.CONSOLE_DIST_DIR) {
    const distDir = path.resolve(env.CONSOLE_DIST_DIR)
    if (existsSync(path.join(distDir, 'index.html'))) return { ok: true, distDir, built: false }
    return { ok: false, reason: `CONSOLE_DIST_DIR=${distDir} holds no index.html` }
  }
  const consoleDir = path.join(appsDir, 'console')
  const distDir = path.join(consoleDir, 'dist')
  if (!consoleBuildIsStale(appsDir)) return { ok: true, distDir, built: false }

  const bin = existsSync(path.join(consoleDir, 'src')) ? viteBin(consoleDir) : undefined
  if (bin === undefined) {
    if (existsSync(path.join(distDir, 'index.html'))) return { ok: true, distDir, built: false }
    return { ok: false, reason: `no console build in ${distDir}, and no console sources with vite to build one` }
  }
  const started = Date.now()
  log(`console: building ${path.relative(process.cwd(), distDir) || distDir} (missing or older than its sources)…`)
  const result = await runViteBuild(consoleDir, bin)
  if (!result.ok || !existsSync(path.join(distDir, 'index.html'))) {
    log(`console: build failed:\n${result.output.trimEnd()}`)
    return { ok: false, reason: 'the console build failed (see above); fix it and start again' }
  }
  log(`console: built in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  return { ok: true, distDir, built: true }
}
