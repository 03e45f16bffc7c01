import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { consoleBuildIsStale, ensureConsoleDist } from './console-build'

const roots: string[] = []
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true })
})

/** A checkout's apps/ with console sources, the shared models and (optionally) a build, each at a given time. */
function checkout(times: { source: number; models: number; build?: number }): string {
  const root = mkdtempSync(path.join(tmpdir(), 'gk-console-build-'))
  roots.push(root)
  const apps = path.join(root, 'apps')
  const write = (file: string, seconds: number) => {
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, 'x')
    utimesSync(file, seconds, seconds)
  }
  write(path.join(apps, 'console', 'src', 'features', 'clients', 'ClientsPage.tsx'), times.source)
  write(path.join(root, 'packages', 'models', 'src', 'index.ts'), times.models)
  if (times.build !== undefined) write(path.join(apps, 'console', 'dist', 'index.html'), times.build)
  return apps
}

describe('whether start rebuilds the console', () => {
  it('builds when there is no build', () => {
    expect(consoleBuildIsStale(checkout({ source: 1000, models: 1000 }))).toBe(true)
  })

  it('keeps a build newer than every source', () => {
    expect(consoleBuildIsStale(checkout({ source: 1000, models: 1000, build: 2000 }))).toBe(false)
  })

  it('rebuilds when a console source or a shared schema changed after the build', () => {
    expect(consoleBuildIsStale(checkout({ source: 3000, models: 1000, build: 2000 }))).toBe(true)
    expect(consoleBuildIsStale(checkout({ source: 1000, models: 3000, build: 2000 }))).toBe(true)
  })

  it('serves CONSOLE_DIST_DIR as given, and says so when it holds no build', async () => {
    const apps = checkout({ source: 1000, models: 1000, build: 2000 })
    const dist = path.join(apps, 'console', 'dist')
    await expect(ensureConsoleDist({ CONSOLE_DIST_DIR: dist }, apps, () => {})).resolves.toEqual({
      ok: true,
      distDir: dist,
      built: false,
    })
    const empty = await ensureConsoleDist({ CONSOLE_DIST_DIR: path.join(apps, 'nothing') }, apps, () => {})
    expect(empty).toMatchObject({ ok: false, reason: expect.stringContaining('holds no index.html') })
  })
})
