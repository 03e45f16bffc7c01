import { randomBytes } from 'node:crypto'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createTestDatabase, type TestDatabase } from '@gatekeeper/db/testing'
import { type AuthzServer, createAuthz } from './authz'
import { type ControlPlane, createControlPlane } from './control-plane'
import { makeNginxDir, type RunningNginx, startNginx } from './nginx'
import { waitFor } from './ports'
import { stopAll } from './process'
import { readShippedConfig } from './template'
import { type EchoUpstream, startEchoUpstream } from './upstream'

// One end-to-end environment per test file: a fresh migrated database, authz on Redis with a key prefix of its
// own, the echo upstream, and any number of nginx instances each running one shipped config. nginx connects to
// authz from 127.0.0.1, which is the trusted forwarder; other loopback addresses play untrusted callers.

export const NGINX_SOURCE_IP = '127.0.0.1'

export interface NginxRequest {
  /** A mutation of the shipped text (the load-bearing tests break the configs on purpose). */
  mutate?: (text: string) => string
  name?: string
}

export interface Stack {
  db: TestDatabase
  cp: ControlPlane
  authz: AuthzServer
  upstream: EchoUpstream
  /** Starts nginx with a shipped config from nginx/, addresses filled in for this stack. */
  nginx(file: string, request?: NginxRequest): Promise<RunningNginx>
  /** Waits until authz's snapshot has every configuration change committed so far. */
  synced(): Promise<void>
  close(): Promise<void>
}

export const CDN_IP = '127.0.0.5'

export async function startStack(): Promise<Stack> {
  const cleanups: Array<() => Promise<void> | void> = []
  const close = async () => {
    const errors: unknown[] = []
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup()
      } catch (err) {
        errors.push(err)
      }
    }
    await stopAll()
    if (errors.length > 0) throw new AggregateError(errors, 'e2e stack cleanup failed')
  }
  try {
    const db = await createTestDatabase()
    cleanups.push(() => db.drop())
    const masterKey = randomBytes(32).toString('base64')
    const cp = createControlPlane(db.url, masterKey)
    cleanups.push(() => cp.close())
    const upstream = await startEchoUpstream()
    cleanups.push(() => upstream.close())
    const authz = await createAuthz({
      databaseUrl: db.url,
      redisUrl: process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      redisKeyPrefix: `gk-e2e-${randomBytes(4).toString('hex')}:`,
      masterKey,
      trustedForwarders: [NGINX_SOURCE_IP],
    })
    cleanups.push(() => authz.stop())

    // Files the configs refer to by path: the CDN's address ranges (here one loopback address plays the CDN).
    const files = makeNginxDir('files')
    cleanups.push(() => rmSync(files, { recursive: true, force: true }))
    const cdnRanges = join(files, 'cdn-ranges.conf')
    writeFileSync(cdnRanges, `set_real_ip_from ${CDN_IP};\n`)

    const values = (file: string, dir: string): Record<string, string> => {
      const all: Record<string, string> = {
        AUTHZ_UPSTREAM: `127.0.0.1:${authz.port}`,
        UPSTREAM: `127.0.0.1:${upstream.port}`,
        CDN_RANGES: cdnRanges,
        CACHE_DIR: join(dir, 'decision-cache'),
      }
      const wanted: Record<string, readonly string[]> = {
        'protected-api.conf': ['AUTHZ_UPSTREAM', 'UPSTREAM'],
        'cdn-forwarder.conf': ['AUTHZ_UPSTREAM', 'UPSTREAM', 'CDN_RANGES'],
        'public-cache.conf': ['AUTHZ_UPSTREAM', 'UPSTREAM', 'CACHE_DIR'],
      }
      const names = wanted[file]
      if (names === undefined) throw new Error(`the stack does not know how to address ${file}`)
      return Object.fromEntries(names.map((name) => [name, all[name] ?? '']))
    }

    let count = 0
    return {
      db,
      cp,
      authz,
      upstream,
      async nginx(file, request = {}) {
        count += 1
        const shipped = readShippedConfig(file)
        const template = request.mutate ? request.mutate(shipped) : shipped
        const name = request.name ?? `${file.replace(/\.conf$/, '')}-${count}`
        const dir = makeNginxDir(`${name}-cache`)
        cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
        const nginx = await startNginx({ name, template, values: values(file, dir) })
        cleanups.push(async () => {
          await nginx.stop()
          rmSync(nginx.dir, { recursive: true, force: true })
        })
        return nginx
      },
      async synced() {
        const target = await cp.version()
        await waitFor(
          `authz at config version ${target}`,
          async () => {
            const version = await authz.configVersion()
            return version !== undefined && version >= target ? true : undefined
          },
          5000,
        )
      },
      close,
    }
  } catch (err) {
    await close().catch(() => undefined)
    throw err
  }
}
