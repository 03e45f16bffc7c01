import { describe, expect, it } from 'vitest'
import { parseRedisUrl, redactRedisUrl } from './redis-target'

describe('parseRedisUrl', () => {
  it('passes a plain redis:// or rediss:// URL through', () => {
    expect(parseRedisUrl('redis://:pw@cache:6380/2')).toEqual({ kind: 'single', url: 'redis://:pw@cache:6380/2' })
    expect(parseRedisUrl('rediss://cache:6380')).toEqual({ kind: 'single', url: 'rediss://cache:6380' })
  })

  it('reads cluster seed nodes, credentials and TLS', () => {
    expect(parseRedisUrl('redis+cluster://app:p%40ss@10.0.0.1:7000,r2.internal:7001,[::1]:7002')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: 'r2.internal', port: 7001 },
        { host: '::1', port: 7002 },
      ],
      username: 'app',
      password: 'p@ss',
      tls: false,
    })
    expect(parseRedisUrl('rediss+cluster://:pw@h:7000')).toMatchObject({ kind: 'cluster', password: 'pw', tls: true })
  })

  it('reads sentinels, master name, database and sentinel password', () => {
    expect(parseRedisUrl('redis+sentinel://:pw@s1:26379,s2:26380/mymaster/3?sentinelPassword=sp')).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
      ],
      master: 'mymaster',
      db: 3,
      username: undefined,
      password: 'pw',
      sentinelPassword: 'sp',
    })
    expect(parseRedisUrl('redis+sentinel://s1:26379/m')).toMatchObject({ db: 0, password: undefined })
  })

  it.each([
    ['memcached://h:1', /expected redis:\/\//],
    ['redis+cluster://', /at least one host:port/],
    ['redis+cluster://h1:7000,h2', /host:port/],
    ['redis+cluster://h1:70000', /port out of range/],
    ['redis+cluster://h1:7000/3', /only database 0/],
    ['redis+cluster://h1:7000?tls=1', /unknown parameter tls/],
    ['redis+sentinel://s1:26379', /master-name/],
    ['redis+sentinel://s1:26379/m/x', /database number/],
    ['redis+sentinel://s1:26379/m?password=x', /unknown parameter password/],
    ['rediss+sentinel://s1:26379/m', /not supported/],
  ])('rejects %s with a clear message', (url, message) => {
    expect(() => parseRedisUrl(url)).toThrow(message)
  })

  it('never echoes a password in its errors', () => {
    expect(() => parseRedisUrl('redis+cluster://:secret@h1')).toThrow(/^(?!.*secret)/)
  })
})

describe('redactRedisUrl', () => {
  it('hides passwords of every form', () => {
    expect(redactRedisUrl('redis://:pw@h:1/0')).toBe('redis://:***@h:1/0')
    expect(redactRedisUrl('redis+cluster://u:pw@a:1,b:2')).toBe('redis+cluster://u:***@a:1,b:2')
    expect(redactRedisUrl('redis+sentinel://s:1/m?sentinelPassword=sp')).toBe(
      'redis+sentinel://s:1/m?sentinelPassword=***',
    )
    expect(redactRedisUrl('redis://h:1')).toBe('redis://h:1')
  })
})
