import { ApiError } from '@gatekeeper/models'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { AppEnv } from '../context'
import { cascadeHeader, expectedVersion, withVersion } from './concurrency'

async function versionFor(ifMatch: string | undefined, body: unknown): Promise<number | undefined | string> {
  const app = new Hono<AppEnv>()
  app.get('/', (c) => c.json({ v: expectedVersion(c, body) ?? null }))
  app.onError((err) => new Response(err instanceof ApiError ? err.code : 'other', { status: 500 }))
  const res = await app.request('/', { headers: ifMatch === undefined ? {} : { 'if-match': ifMatch } })
  if (res.status !== 200) return res.text()
  const { v } = (await res.json()) as { v: number | null }
  return v ?? undefined
}

describe('expectedVersion', () => {
  it('reads If-Match: "<n>", or the body version, or nothing', async () => {
    expect(await versionFor('"3"', undefined)).toBe(3)
    expect(await versionFor(undefined, { version: 4 })).toBe(4)
    expect(await versionFor('"5"', { version: 5 })).toBe(5)
    expect(await versionFor(undefined, { name: 'x' })).toBeUndefined()
    expect(await versionFor('*', undefined)).toBeUndefined()
  })

  it('is a 412 for a tag that names no version, or one the body contradicts', async () => {
    for (const tag of ['W/"3"', '3', '"a"', '"1", "2"', '"99999999999999999"']) {
      expect(await versionFor(tag, undefined)).toBe('precondition_failed')
    }
    expect(await versionFor('"3"', { version: 4 })).toBe('precondition_failed')
  })
})

describe('withVersion / cascadeHeader', () => {
  it('folds the version into an object body only', () => {
    expect(withVersion({ a: 1 }, 2)).toEqual({ a: 1, version: 2 })
    expect(withVersion({ a: 1 }, undefined)).toEqual({ a: 1 })
    expect(withVersion([1], 2)).toEqual([1])
  })

  it('lists cascaded counts', () => {
    expect(cascadeHeader({ permissions: 2, credentials: 1 })).toBe('permissions=2, credentials=1')
  })
})
