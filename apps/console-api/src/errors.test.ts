import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { AppEnv } from './context'
import { onError } from './errors'
import { createLogger } from './logger'

/** An error shaped like drizzle's DrizzleQueryError around a node-postgres error. */
function queryError(): Error {
  const pg = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' })
  return Object.assign(
    new Error('Failed query: select * from "admin_audit_log" where "actor" = $1\nparams: secret-actor-value'),
    {
      name: 'DrizzleQueryError',
      query: 'select * from "admin_audit_log" where "actor" = $1',
      params: ['secret-actor-value'],
      cause: pg,
    },
  )
}

function appThrowing(err: unknown) {
  const lines: string[] = []
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => lines.push(line) } })
  const app = new Hono<AppEnv>()
  app.onError(onError(logger))
  app.get('/', () => {
    throw err
  })
  return { app, lines }
}

describe('onError', () => {
  it('logs a failed query by its SQLSTATE only: no SQL text, no parameter, no stack quoting them', async () => {
    const { app, lines } = appThrowing(queryError())
    const res = await app.request('/')
    expect(res.status).toBe(500)
    expect(await res.json()).toMatchObject({ error: 'internal_error', message: 'internal error' })
    const text = lines.join('')
    expect(text).not.toContain('secret-actor-value')
    expect(text).not.toContain('select')
    expect(JSON.parse(text)).toMatchObject({
      msg: 'unhandled error',
      err: { name: 'DrizzleQueryError', message: 'database query failed', sql_state: '22021' },
    })
  })

  it('keeps the message and stack of other unexpected errors', async () => {
    const { app, lines } = appThrowing(new TypeError('x is not a function'))
    expect((await app.request('/')).status).toBe(500)
    expect(JSON.parse(lines.join(''))).toMatchObject({ err: { name: 'TypeError', message: 'x is not a function' } })
  })

  it('answers 503 with Retry-After when the database is unreachable or failing over, quoting nothing of the query', async () => {
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })
    const wrapped = Object.assign(new Error('Failed query: insert into "routes" values ($1)\nparams: secret-route'), {
      name: 'DrizzleQueryError',
      params: ['secret-route'],
      cause: shutdown,
    })
    for (const err of [
      wrapped,
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
    ]) {
      const { app, lines } = appThrowing(err)
      const res = await app.request('/')
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toBe('1')
      expect(await res.json()).toMatchObject({ error: 'service_unavailable' })
      expect(lines.join('')).not.toContain('secret-route')
    }
  })
})
