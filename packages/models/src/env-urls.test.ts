import { describe, expect, it } from 'vitest'
import { resolveDatabaseUrl, resolveRedisUrl } from './env-urls'

describe('resolveDatabaseUrl', () => {
  it('is undefined with no database variables (embedded mode)', () => {
    expect(resolveDatabaseUrl({})).toBeUndefined()
    expect(resolveDatabaseUrl({ DATABASE_URL: '', POSTGRES_HOST: '' })).toBeUndefined()
  })

  it('builds a URL from the original variables with its defaults', () => {
    expect(resolveDatabaseUrl({ API_AUTH_ADMIN_PG_PASSWORD: 'secret' })).toBe(
      'postgres://api_auth_admin:secret@localhost:5432/api_auth_admin',
    )
  })

  it('uses every original variable', () => {
    expect(
      resolveDatabaseUrl({
        POSTGRES_HOST: 'db.internal',
        POSTGRES_PORT: '6543',
        API_AUTH_ADMIN_PG_DB: 'gk',
        API_AUTH_ADMIN_PG_USER: 'gk_app',
        API_AUTH_ADMIN_PG_PASSWORD: 'pw',
      }),
    ).toBe('postgres://gk_app:pw@db.internal:6543/gk')
  })

  it('URL-encodes special characters in the password and user', () => {
    const url = resolveDatabaseUrl({ API_AUTH_ADMIN_PG_USER: 'app@corp', API_AUTH_ADMIN_PG_PASSWORD: 'p@ss:w/rd#?% x' })
    expect(url).toBe('postgres://app%40corp:p%40ss%3Aw%2Frd%23%3F%25%20x@localhost:5432/api_auth_admin')
    const parsed = new URL(url ?? '')
    expect(decodeURIComponent(parsed.password)).toBe('p@ss:w/rd#?% x')
    expect(decodeURIComponent(parsed.username)).toBe('app@corp')
    expect(parsed.hostname).toBe('localhost')
  })

  it('omits the password when none is set', () => {
    expect(resolveDatabaseUrl({ POSTGRES_HOST: 'db' })).toBe('postgres://api_auth_admin@db:5432/api_auth_admin')
  })

  it('brackets an IPv6 host', () => {
    expect(resolveDatabaseUrl({ POSTGRES_HOST: '::1', API_AUTH_ADMIN_PG_PASSWORD: 'x' })).toBe(
      'postgres://api_auth_admin:x@[::1]:5432/api_auth_admin',
    )
  })

  it('refuses a DATABASE_URL that is not a postgres:// URL, without echoing it (it may hold a password)', () => {
    for (const bad of ['postgress://u:hunter2@db/x', 'not a url', 'db.internal:5432', 'mysql://u@h/x']) {
      expect(() => resolveDatabaseUrl({ DATABASE_URL: bad })).toThrow(
        'DATABASE_URL: expected a PostgreSQL URL, postgres://user:password@host:5432/database (or postgresql://)',
      )
    }
    expect(resolveDatabaseUrl({ DATABASE_URL: 'PostgreSQL://u@h/x' })).toBe('PostgreSQL://u@h/x')
  })

  it('prefers DATABASE_URL over the original variables', () => {
    expect(
      resolveDatabaseUrl({
        DATABASE_URL: 'postgres://u:p@primary:5432/gatekeeper',
        POSTGRES_HOST: 'other',
        API_AUTH_ADMIN_PG_PASSWORD: 'x',
      }),
    ).toBe('postgres://u:p@primary:5432/gatekeeper')
  })

  it('names POSTGRES_PORT when it is not a port', () => {
    expect(() => resolveDatabaseUrl({ POSTGRES_PORT: '5432x' })).toThrow(
      'POSTGRES_PORT: expected an integer between 1 and 65535',
    )
    expect(() => resolveDatabaseUrl({ POSTGRES_PORT: '70000' })).toThrow('POSTGRES_PORT')
  })
})

describe('resolveRedisUrl', () => {
  it('is undefined without REDIS_URL or REDIS_HOST (in-memory stores)', () => {
    expect(resolveRedisUrl({})).toBeUndefined()
    expect(resolveRedisUrl({ REDIS_PORT: '6380', REDIS_PASSWORD: 'x' })).toBeUndefined()
  })

  it('builds from REDIS_HOST with defaults', () => {
    expect(resolveRedisUrl({ REDIS_HOST: 'cache' })).toBe('redis://cache:6379/0')
  })

  it('uses port, password (encoded) and db', () => {
    const url = resolveRedisUrl({ REDIS_HOST: 'cache', REDIS_PORT: '6380', REDIS_PASSWORD: 'a@b:c/d', REDIS_DB: '3' })
    expect(url).toBe('redis://:a%40b%3Ac%2Fd@cache:6380/3')
    expect(decodeURIComponent(new URL(url ?? '').password)).toBe('a@b:c/d')
  })

  it('prefers REDIS_URL', () => {
    expect(resolveRedisUrl({ REDIS_URL: 'redis://r:6379/1', REDIS_HOST: 'cache' })).toBe('redis://r:6379/1')
  })

  it('names the bad variable', () => {
    expect(() => resolveRedisUrl({ REDIS_HOST: 'cache', REDIS_PORT: 'abc' })).toThrow('REDIS_PORT')
    expect(() => resolveRedisUrl({ REDIS_HOST: 'cache', REDIS_DB: '-1' })).toThrow('REDIS_DB')
  })
})
