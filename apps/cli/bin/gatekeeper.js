#!/usr/bin/env node
// The `gatekeeper` command: runs the bundle (dist/main.js) under plain node, which starts in a fraction
// of the time tsx needs. In a checkout (the TypeScript sources are next to it) the bundle is built first
// when it is missing or older than any source it is made of, so the command is never stale after a
// `git pull` or an edit. An installed package has no sources and just runs the bundle.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const appDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const bundle = path.join(appDir, 'dist', 'main.js')

/** Newest modification time (ms) under dir, or 0 when dir does not exist. */
function newest(dir) {
  let latest = 0
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return 0
  }
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue
    const full = path.join(dir, entry.name)
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs)
  }
  return latest
}

/** The src folder of each package under dir. */
function workspacePackages(dir) {
  let names = []
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  return names.map((name) => path.join(dir, name, 'src'))
}

function stale() {
  if (!existsSync(bundle)) return true
  const repo = path.resolve(appDir, '..', '..')
  const sources = [
    path.join(appDir, 'src'),
    path.join(appDir, 'tsup.config.ts'),
    path.join(repo, 'apps', 'authz', 'src'),
    path.join(repo, 'apps', 'console-api', 'src'),
    // every workspace package: the bundle takes in whichever of them the apps import, and a list
    // written out here went stale the day a package (the engine) was split out
    ...workspacePackages(path.join(repo, 'packages')),
    path.join(repo, 'packages', 'db', 'drizzle'),
    path.join(repo, 'packages', 'tsconfig', 'tsup.preset.mjs'),
  ]
  const built = statSync(bundle).mtimeMs
  return sources.some((source) => {
    try {
      return (statSync(source).isDirectory() ? newest(source) : statSync(source).mtimeMs) > built
    } catch {
      return false
    }
  })
}

if (existsSync(path.join(appDir, 'src', 'main.ts')) && stale()) {
  process.stderr.write('gatekeeper: building the CLI bundle (sources changed)…\n')
  const tsup = createRequire(path.join(appDir, 'package.json')).resolve('tsup/package.json')
  const cli = path.join(path.dirname(tsup), 'dist', 'cli-default.js') // tsup's `bin`
  const build = spawnSync(process.execPath, [cli, '--silent'], { cwd: appDir, stdio: ['ignore', 2, 2] })
  if (build.status !== 0) {
    process.stderr.write(
      'gatekeeper: the build failed (see above); fix it or run `pnpm --filter @gatekeeper/cli build`\n',
    )
    process.exit(1)
  }
}

await import(bundle)
