import { describe, expect, it } from 'vitest'
import { loadConsoleConfig } from './config'

const base = {
  DATABASE_URL: 'postgres://gatekeeper@127.0.0.1:5432/gatekeeper',
  GATEKEEPER_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
}

describe('console-api configuration of who may call it', () => {
  it('takes exact browser origins', () => {
    const config = loadConsoleConfig({
      ...base,
      CONSOLE_ORIGINS: 'https://console.example.com, http://127.0.0.1:5173',
    })
    expect(config.consoleOrigins).toEqual(['https://console.example.com', 'http://127.0.0.1:5173'])
  })

  it.each([
    '*',
    'null',
    'https://*.example.com',
    'console.example.com',
    'https://console.example.com/',
    'https://console.example.com/console',
    'https://Console.example.com',
    'javascript:alert(1)',
  ])('refuses CONSOLE_ORIGINS=%s at start, naming the variable', (origins) => {
    expect(() => loadConsoleConfig({ ...base, CONSOLE_ORIGINS: origins })).toThrow(/CONSOLE_ORIGINS/)
  })

  it('bounds the sign-in cache at 5 minutes: a token Aegis revoked is not accepted longer', () => {
    const ttl = (value: string) => loadConsoleConfig({ ...base, AEGIS_AUTH_CACHE_TTL_SECONDS: value }).aegis
    expect(ttl('300').authCacheTtlSeconds).toBe(300)
    // An .env kept from the original (no bound there) still starts, with the cap applied.
    expect(ttl('3600').authCacheTtlSeconds).toBe(300)
    expect(ttl('0').authCacheTtlSeconds).toBe(0)
    expect(() => ttl('-1')).toThrow(/AEGIS_AUTH_CACHE_TTL_SECONDS/)
  })
})
