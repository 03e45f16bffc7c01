import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { commonEnvSchema, commonEnvShape, EnvError, parseEnv } from './env-parse'
import { boolVar, csvVar, intVar, portVar } from './env-vars'

const appSchema = z.object({
  ...commonEnvShape,
  AUTHZ_PORT: portVar(7843),
  AUTHZ_DEBUG: boolVar(false),
  CACHE_TTL: intVar(60, 0, 3600),
  ALLOWED: csvVar(),
  AEGIS_API_URL: z.url(),
})

function errorOf(fn: () => unknown): EnvError {
  try {
    fn()
  } catch (error) {
    if (error instanceof EnvError) return error
    throw error
  }
  throw new Error('expected an EnvError')
}

describe('parseEnv', () => {
  it('applies defaults', () => {
    expect(parseEnv(appSchema, { AEGIS_API_URL: 'https://aegis.example.com' }, 'authz')).toEqual({
      GATEKEEPER_MASTER_KEY: undefined,
      GATEKEEPER_MASTER_KEY_ID: undefined,
      GATEKEEPER_PREVIOUS_MASTER_KEYS: [],
      GATEKEEPER_DATA_DIR: '.gatekeeper',
      LOG_LEVEL: 'info',
      NODE_ENV: undefined,
      AUTHZ_PORT: 7843,
      AUTHZ_DEBUG: false,
      CACHE_TTL: 60,
      ALLOWED: [],
      AEGIS_API_URL: 'https://aegis.example.com',
    })
  })

  it('coerces strings and treats empty values as unset', () => {
    const parsed = parseEnv(
      appSchema,
      {
        AEGIS_API_URL: 'https://aegis.example.com',
        AUTHZ_PORT: ' 8080 ',
        AUTHZ_DEBUG: 'YES',
        CACHE_TTL: '',
        ALLOWED: 'a, b,,c',
        LOG_LEVEL: 'DEBUG',
        NODE_ENV: 'production',
        GATEKEEPER_PREVIOUS_MASTER_KEYS: 'k1:abc, k2:de:f',
      },
      'authz',
    )
    expect(parsed).toMatchObject({
      AUTHZ_PORT: 8080,
      AUTHZ_DEBUG: true,
      CACHE_TTL: 60,
      ALLOWED: ['a', 'b', 'c'],
      LOG_LEVEL: 'debug',
      NODE_ENV: 'production',
      GATEKEEPER_PREVIOUS_MASTER_KEYS: [
        { id: 'k1', key: 'abc' },
        { id: 'k2', key: 'de:f' },
      ],
    })
  })

  it('names the bad variable in the message', () => {
    expect(() =>
      parseEnv(appSchema, { AEGIS_API_URL: 'https://aegis.example.com', AUTHZ_PORT: '99999' }, 'authz'),
    ).toThrow('authz: invalid environment:\n  AUTHZ_PORT: expected an integer between 1 and 65535')
  })

  it('lists every bad variable, including missing required ones', () => {
    const error = errorOf(() =>
      parseEnv(
        appSchema,
        {
          AUTHZ_PORT: 'http',
          AUTHZ_DEBUG: 'maybe',
          CACHE_TTL: '3601',
          LOG_LEVEL: 'verbose',
          NODE_ENV: 'prod',
          GATEKEEPER_PREVIOUS_MASTER_KEYS: 'k1:abc,justakey,k1:xyz',
        },
        'console-api',
      ),
    )
    expect(error.problems.map((p) => p.variable).sort()).toEqual([
      'AEGIS_API_URL',
      'AUTHZ_DEBUG',
      'AUTHZ_PORT',
      'CACHE_TTL',
      'GATEKEEPER_PREVIOUS_MASTER_KEYS',
      'GATEKEEPER_PREVIOUS_MASTER_KEYS',
      'LOG_LEVEL',
      'NODE_ENV',
    ])
    expect(error.message).toMatch(/^console-api: invalid environment:\n/)
    expect(error.message).toContain('  AEGIS_API_URL: is required')
    expect(error.message).toContain('  AUTHZ_DEBUG: expected true or false')
    expect(error.message).toContain('  CACHE_TTL: expected an integer between 0 and 3600')
    expect(error.message).toContain('  LOG_LEVEL: expected one of fatal, error, warn, info')
    expect(error.message).toContain('  NODE_ENV: expected one of development, production, test')
    expect(error.message).toContain('  GATEKEEPER_PREVIOUS_MASTER_KEYS: entry 2 is not of the form id:key')
    expect(error.message).toContain("  GATEKEEPER_PREVIOUS_MASTER_KEYS: key id 'k1' appears more than once")
  })

  it('never echoes a value in its message', () => {
    const error = errorOf(() =>
      parseEnv(commonEnvSchema, { GATEKEEPER_PREVIOUS_MASTER_KEYS: 'SUPERSECRETKEYMATERIAL' }, 'cli'),
    )
    expect(error.message).not.toContain('SUPERSECRETKEYMATERIAL')
  })

  it('ignores variables the schema does not name', () => {
    expect(parseEnv(z.object({ A: portVar(1) }), { A: '2', PATH: '/usr/bin' }, 'x')).toEqual({ A: 2 })
  })
})
