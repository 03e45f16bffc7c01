import { describe, expect, it } from 'vitest'
import {
  acceptable,
  connectionFactory,
  HostPicker,
  type HostPort,
  isDatabaseUnavailable,
  NoUsableHostError,
  parseDatabaseUrl,
  redactDatabaseUrl,
  type SessionState,
  type TargetSessionAttrs,
} from './hosts'

const PRIMARY: SessionState = { inRecovery: false, readOnly: false }
const STANDBY: SessionState = { inRecovery: true, readOnly: true }
const READ_ONLY_PRIMARY: SessionState = { inRecovery: false, readOnly: true }

describe('parseDatabaseUrl', () => {
  it('leaves a one-host URL without target_session_attrs exactly as given', () => {
    const url = 'postgres://u:p%40ss@db.internal:6432/gatekeeper?sslmode=require'
    const target = parseDatabaseUrl(url)
    expect(target.multi).toBe(false)
    expect(target.url).toBe(url)
    expect(target.hosts).toEqual([{ host: 'db.internal', port: 6432 }])
  })

  it('reads a libpq host list with per-host ports, IPv6 and the default port', () => {
    const target = parseDatabaseUrl(
      'postgresql://gk:secret@h1:5433,[::1]:5434,h3/gatekeeper?target_session_attrs=read-write&application_name=x',
    )
    expect(target.multi).toBe(true)
    expect(target.targetSessionAttrs).toBe('read-write')
    expect(target.hosts).toEqual([
      { host: 'h1', port: 5433 },
      { host: '::1', port: 5434 },
      { host: 'h3', port: 5432 },
    ])
    // What node-postgres gets: one host at a time, user, password and other parameters kept, ours removed.
    expect(target.url).toBe('postgresql://gk:secret@h1:5433/gatekeeper?application_name=x')
    expect(target.urlFor({ host: '::1', port: 5434 })).toBe(
      'postgresql://gk:secret@[::1]:5434/gatekeeper?application_name=x',
    )
  })

  it('takes target_session_attrs on a single host too (refuse a standby)', () => {
    const target = parseDatabaseUrl('postgres://u@h1/db?target_session_attrs=primary')
    expect(target.multi).toBe(true)
    expect(target.url).toBe('postgres://u@h1:5432/db')
  })

  it('refuses an unknown target_session_attrs and a broken host list, without quoting the password', () => {
    expect(() => parseDatabaseUrl('postgres://u:hunter2@h1,h2/db?target_session_attrs=master')).toThrow(
      /DATABASE_URL: target_session_attrs must be one of any, read-write/,
    )
    for (const bad of [
      'postgres://u:hunter2@h1,,h2/db',
      'postgres://u:hunter2@h1:99999,h2/db',
      'postgres://u:hunter2@h1:x,h2/db',
    ]) {
      let message = ''
      try {
        parseDatabaseUrl(bad)
      } catch (err) {
        message = (err as Error).message
      }
      expect(message).toMatch(/^DATABASE_URL: /)
      expect(message).not.toContain('hunter2')
    }
  })
})

describe('acceptable', () => {
  const cases: Array<[TargetSessionAttrs, SessionState, boolean]> = [
    ['any', STANDBY, true],
    ['read-write', PRIMARY, true],
    ['read-write', STANDBY, false],
    ['read-write', READ_ONLY_PRIMARY, false],
    ['read-only', READ_ONLY_PRIMARY, true],
    ['read-only', PRIMARY, false],
    ['primary', READ_ONLY_PRIMARY, true],
    ['primary', STANDBY, false],
    ['standby', STANDBY, true],
    ['standby', PRIMARY, false],
  ]
  it.each(cases)('%s with %o: %s', (attrs, state, expected) => {
    expect(acceptable(attrs, state)).toBe(expected)
  })
})

/**
 * A picker over the hosts named in `entries` (in order, port 5432), each answering its probe as scripted there: a
 * session state, or an error thrown. A test may change `states` as it goes; `probes` lists the hosts asked.
 */
function pickerOver(targetSessionAttrs: TargetSessionAttrs, entries: Array<[string, SessionState | Error]>) {
  const states = new Map(entries)
  const probes: string[] = []
  const probe = async (host: HostPort) => {
    probes.push(host.host)
    const state = states.get(host.host)
    if (state === undefined || state instanceof Error) throw state ?? new Error('connect ECONNREFUSED')
    return state
  }
  const hosts = [...states.keys()].map((host) => ({ host, port: 5432 }))
  return { picker: new HostPicker({ hosts, targetSessionAttrs }, probe), probes, states }
}

describe('HostPicker', () => {
  it('tries the hosts in order, skips a standby and a dead host, and remembers the primary', async () => {
    const { picker, probes } = pickerOver('read-write', [
      ['a', new Error('connect ECONNREFUSED')],
      ['b', STANDBY],
      ['c', PRIMARY],
    ])
    expect(await picker.pick()).toEqual({ host: 'c', port: 5432 })
    expect(await picker.pick()).toEqual({ host: 'c', port: 5432 })
    expect(probes).toEqual(['a', 'b', 'c'])
  })

  it('after forget, searches again and follows a promotion', async () => {
    const { picker, states } = pickerOver('read-write', [
      ['a', PRIMARY],
      ['b', STANDBY],
    ])
    const first = await picker.pick()
    expect(first.host).toBe('a')
    // The primary dies; the standby is not promoted yet: nothing is usable, and the error says why per host.
    states.set('a', new Error('connect ECONNREFUSED'))
    picker.forget(first)
    const err = await picker.pick().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(NoUsableHostError)
    expect((err as Error).message).toBe(
      'no database host is read-write (target_session_attrs): a:5432: connect ECONNREFUSED; b:5432 is a standby (in recovery)',
    )
    states.set('b', PRIMARY)
    expect((await picker.pick()).host).toBe('b')
  })

  it('forgetting a host that is not the remembered one changes nothing', async () => {
    const { picker, probes } = pickerOver('primary', [['a', PRIMARY]])
    await picker.pick()
    picker.forget({ host: 'z', port: 5432 })
    await picker.pick()
    expect(probes).toEqual(['a'])
  })

  it('concurrent picks share one search', async () => {
    const { picker, probes } = pickerOver('read-write', [['a', PRIMARY]])
    await Promise.all([picker.pick(), picker.pick(), picker.pick()])
    expect(probes).toEqual(['a'])
  })

  it('prefer-standby takes a standby first, else any reachable host', async () => {
    const { picker, states } = pickerOver('prefer-standby', [
      ['a', PRIMARY],
      ['b', STANDBY],
    ])
    expect((await picker.pick()).host).toBe('b')
    picker.forget({ host: 'b', port: 5432 })
    states.set('b', new Error('down'))
    expect((await picker.pick()).host).toBe('a')
  })
})

describe('isDatabaseUnavailable', () => {
  const withCode = (code: string) => Object.assign(new Error('x'), { code })
  it('is true for connection failures, shutdowns, a write on a standby and no usable host, also wrapped', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', '57P01', '57P03', '25006', '08006', '53300']) {
      expect(isDatabaseUnavailable(withCode(code))).toBe(true)
    }
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true)
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true)
    expect(isDatabaseUnavailable(new NoUsableHostError('read-write', []))).toBe(true)
    const wrapped = new Error('Failed query: insert into ... params: connection terminated', {
      cause: withCode('57P01'),
    })
    expect(isDatabaseUnavailable(wrapped)).toBe(true)
  })

  it('is false for statement errors, including a failed query whose parameters merely look like one', () => {
    for (const code of ['23505', '23503', '22P02', '42P01']) expect(isDatabaseUnavailable(withCode(code))).toBe(false)
    expect(isDatabaseUnavailable(new Error('Failed query: select $1\nparams: connection terminated'))).toBe(false)
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false)
    expect(isDatabaseUnavailable(undefined)).toBe(false)
  })
})

describe('redactDatabaseUrl', () => {
  it('hides the password and keeps every host', () => {
    expect(redactDatabaseUrl('postgres://gk:s3cret@h1:5432,h2:5433/db?target_session_attrs=read-write')).toBe(
      'postgres://gk:***@h1:5432,h2:5433/db?target_session_attrs=read-write',
    )
    expect(redactDatabaseUrl('postgres://gk@h1/db')).toBe('postgres://gk@h1/db')
  })
})

describe('connectionFactory', () => {
  it('hands node-postgres a one-host URL untouched and a host list through its own Client class', () => {
    const single = 'postgres://u:p@db:5432/gk'
    expect(connectionFactory(single).poolConfig({ max: 2 })).toEqual({ max: 2, connectionString: single })
    const multi = connectionFactory('postgres://u:p@a:5432,b:5433/gk?target_session_attrs=read-write').poolConfig({
      max: 2,
    })
    expect(multi).toMatchObject({ max: 2, connectionString: 'postgres://u:p@a:5432/gk', maxLifetimeSeconds: 60 })
    expect(typeof multi.Client).toBe('function')
  })
})
