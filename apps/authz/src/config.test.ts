import { describe, expect, it } from 'vitest'
import { loadAuthzConfig } from './config'

const KEY = Buffer.alloc(32, 7).toString('base64').replace('B', 'C') // 32 bytes, not one repeated byte
const BASE = { DATABASE_URL: 'postgres://u@127.0.0.1:5432/gk', GATEKEEPER_MASTER_KEY: KEY }

describe('loadAuthzConfig', () => {
  it('defaults', () => {
    expect(loadAuthzConfig(BASE)).toMatchObject({
      port: 7843,
      host: '0.0.0.0',
      redisUrl: undefined,
      redisKeyPrefix: 'gk:',
      trustedForwarders: [],
      hmacToleranceSeconds: 300,
      configPollIntervalMs: 5000,
      rateLimitFailureMode: 'open',
      nonceFailureMode: 'closed',
      redisTimeoutMs: 50,
      redisSocketTimeoutMs: 1000,
      auditLog: true,
      shutdownGraceMs: 10_000,
      workers: 1,
      requireKnownHost: false,
    })
    expect([...loadAuthzConfig(BASE).knownHosts]).toEqual([])
  })

  it('AUTHZ_REQUIRE_KNOWN_HOST and AUTHZ_KNOWN_HOSTS: host names as requests are keyed, refused when malformed', () => {
    const config = loadAuthzConfig({
      ...BASE,
      AUTHZ_REQUIRE_KNOWN_HOST: 'true',
      AUTHZ_KNOWN_HOSTS: ' Docs.Example.org., status.example.org ,[::1]',
    })
    expect(config.requireKnownHost).toBe(true)
    expect([...config.knownHosts]).toEqual(['docs.example.org', 'status.example.org', '[::1]'])
    for (const bad of ['api.example.com:8443', '*.example.com', '*', 'a b', 'user@host', '[::1]:80']) {
      expect(() => loadAuthzConfig({ ...BASE, AUTHZ_KNOWN_HOSTS: bad }), bad).toThrow(/AUTHZ_KNOWN_HOSTS/)
    }
    expect(() => loadAuthzConfig({ ...BASE, AUTHZ_REQUIRE_KNOWN_HOST: 'sometimes' })).toThrow(
      /AUTHZ_REQUIRE_KNOWN_HOST/,
    )
  })

  it('AUTHZ_WORKERS: processes sharing the port, 0 for one per core', () => {
    expect(loadAuthzConfig({ ...BASE, AUTHZ_WORKERS: '4' }).workers).toBe(4)
    expect(loadAuthzConfig({ ...BASE, AUTHZ_WORKERS: '0' }).workers).toBe(0)
    expect(() => loadAuthzConfig({ ...BASE, AUTHZ_WORKERS: '-1' })).toThrow(/AUTHZ_WORKERS/)
  })

  it('AUTHZ_PORT, then the original PORT; 0 means any free port', () => {
    expect(loadAuthzConfig({ ...BASE, PORT: '9000' }).port).toBe(9000)
    expect(loadAuthzConfig({ ...BASE, PORT: '9000', AUTHZ_PORT: '9001' }).port).toBe(9001)
    expect(loadAuthzConfig({ ...BASE, AUTHZ_PORT: '0' }).port).toBe(0)
  })

  it('names every bad variable', () => {
    expect(() => loadAuthzConfig({ ...BASE, AUTHZ_PORT: 'x', AUDIT_LOG: 'maybe' })).toThrow(
      /AUTHZ_PORT[\s\S]*AUDIT_LOG/,
    )
    expect(() => loadAuthzConfig({ GATEKEEPER_MASTER_KEY: KEY })).toThrow(/DATABASE_URL: required/)
    expect(() => loadAuthzConfig({ DATABASE_URL: BASE.DATABASE_URL })).toThrow(/GATEKEEPER_MASTER_KEY: required/)
    expect(() => loadAuthzConfig({ ...BASE, TRUSTED_FORWARDER_IPS: '10.0.0.0/33' })).toThrow(/TRUSTED_FORWARDER_IPS/)
  })

  it('takes a multi-host DATABASE_URL and refuses an unknown target_session_attrs at start', () => {
    const multi = 'postgres://u:pw@pg-a:5432,pg-b:5433/gk?target_session_attrs=read-write'
    expect(loadAuthzConfig({ ...BASE, DATABASE_URL: multi }).databaseUrl).toBe(multi)
    expect(() =>
      loadAuthzConfig({ ...BASE, DATABASE_URL: 'postgres://u:pw@pg-a,pg-b/gk?target_session_attrs=master' }),
    ).toThrow(/^authz: invalid environment:\n {2}DATABASE_URL: target_session_attrs must be one of/)
  })

  it('reads the failure modes, audit switch and forwarders', () => {
    const c = loadAuthzConfig({
      ...BASE,
      RATE_LIMIT_FAILURE_MODE: 'closed',
      NONCE_FAILURE_MODE: 'open',
      AUDIT_LOG: 'false',
      TRUSTED_FORWARDER_IPS: '203.0.113.10, 10.0.0.0/8',
      REDIS_URL: 'redis://127.0.0.1:6379/2',
    })
    expect(c).toMatchObject({
      rateLimitFailureMode: 'closed',
      nonceFailureMode: 'open',
      auditLog: false,
      trustedForwarders: ['203.0.113.10', '10.0.0.0/8'],
      redisUrl: 'redis://127.0.0.1:6379/2',
    })
  })

  it('accepts Redis Cluster and Sentinel URLs and rejects malformed ones at start-up, naming REDIS_URL', () => {
    const cluster = 'redis+cluster://10.0.0.1:7000,10.0.0.2:7000'
    const sentinel = 'redis+sentinel://10.0.0.1:26379,10.0.0.2:26379/gk-master'
    expect(loadAuthzConfig({ ...BASE, REDIS_URL: cluster }).redisUrl).toBe(cluster)
    expect(loadAuthzConfig({ ...BASE, REDIS_URL: sentinel }).redisUrl).toBe(sentinel)
    expect(() => loadAuthzConfig({ ...BASE, REDIS_URL: 'redis+cluster://10.0.0.1' })).toThrow(
      /REDIS_URL: cluster nodes: expected host:port/,
    )
    expect(() => loadAuthzConfig({ ...BASE, REDIS_URL: 'redis+sentinel://10.0.0.1:26379' })).toThrow(
      /REDIS_URL: sentinel URL: expected \/<master-name>/,
    )
  })
})
