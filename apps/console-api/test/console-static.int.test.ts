import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConsoleApp } from '../src/app'
import { callApp, createHarness, type Harness } from './harness'

let h: Harness
let dist: string
let app: ConsoleApp

beforeAll(async () => {
  h = await createHarness()
  dist = mkdtempSync(path.join(tmpdir(), 'console-dist-'))
  mkdirSync(path.join(dist, 'assets'))
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>console</title>')
  writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)')
  writeFileSync(path.join(dist, 'favicon.svg'), '<svg/>')
  writeFileSync(path.join(path.dirname(dist), 'outside-secret.txt'), 'secret')
  app = h.withEnv({ CONSOLE_DIST_DIR: dist })
})
afterAll(async () => {
  rmSync(dist, { recursive: true, force: true })
  rmSync(path.join(path.dirname(dist), 'outside-secret.txt'), { force: true })
  await h.close()
})

const get = (p: string) => callApp(app, 'GET', p)

describe('the web console under /console/', () => {
  it('redirects /console to /console/ and serves index.html uncached', async () => {
    const redirect = await get('/console')
    expect(redirect.status).toBe(308)
    expect(redirect.headers.get('location')).toBe('/console/')
    const index = await get('/console/')
    expect(index.status).toBe(200)
    expect(index.headers.get('cache-control')).toBe('no-cache')
    expect(index.headers.get('content-type')).toContain('text/html')
    expect(index.headers.get('x-frame-options')).toBe('DENY')
    expect(index.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(await index.text()).toContain('<title>console</title>')
  })

  it('serves hashed assets as immutable, and 404s a missing asset instead of index.html', async () => {
    const asset = await get('/console/assets/index-abc123.js')
    expect(asset.status).toBe(200)
    expect(asset.headers.get('content-type')).toContain('text/javascript')
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(await asset.text()).toBe('console.log(1)')
    expect((await get('/console/assets/missing.js')).status).toBe(404)
  })

  it('answers a one-segment client route with index.html, and redirects a deeper one to its hash route', async () => {
    for (const p of ['/console/verify-email?token=abc', '/console/clients']) {
      const fallback = await get(p)
      expect(fallback.status, p).toBe(200)
      expect(fallback.headers.get('cache-control'), p).toBe('no-cache')
      expect(fallback.headers.get('x-content-type-options'), p).toBe('nosniff')
      expect(await fallback.text(), p).toContain('<title>console</title>')
    }
    const favicon = await get('/console/favicon.svg')
    expect(favicon.headers.get('content-type')).toContain('image/svg+xml')
    const deep = await get('/console/routes/abc?tab=methods')
    expect(deep.status).toBe(302)
    expect(deep.headers.get('location')).toBe('/console/#/routes/abc?tab=methods')
    // Even a path that looks like another origin stays a fragment under /console/.
    expect((await get('/console//evil.example/x')).headers.get('location')).toBe('/console/#//evil.example/x')
  })

  it('answers HEAD like GET, without a body', async () => {
    const head = await callApp(app, 'HEAD', '/console/assets/index-abc123.js')
    expect(head.status).toBe(200)
    expect(head.headers.get('content-length')).toBe(String('console.log(1)'.length))
    expect(await head.text()).toBe('')
  })

  it('never serves a file outside the build', async () => {
    const outside = path.basename(dist)
    for (const p of [
      '/console/assets/..%2F..%2Foutside-secret.txt',
      '/console/assets/%2e%2e/%2e%2e/outside-secret.txt',
      `/console/..%2F${outside}%2F..%2Foutside-secret.txt`,
      '/console/%2e%2e%2foutside-secret.txt',
      '/console/assets/..%5C..%5Coutside-secret.txt',
    ]) {
      const res = await get(p)
      expect(await res.text(), p).not.toContain('secret')
    }
  })

  it('is off when CONSOLE_DIST_DIR is unset or has no index.html', async () => {
    expect((await h.call('GET', '/console/')).status).toBe(404)
    const empty = h.withEnv({ CONSOLE_DIST_DIR: path.join(dist, 'assets') })
    expect((await callApp(empty, 'GET', '/console/')).status).toBe(404)
  })
})
