import { generateApiKey, signRequestV1, signRequestV2 } from '@gatekeeper/crypto'
import { BENCH_HOST, type Fixtures } from './fixtures'

// The request of each scenario, as nginx's auth subrequest carries it: X-Original-* headers, the caller's IP as
// nginx forwards it, a request id, and the credential. HMAC requests are signed ahead of time, one per request
// to send, so every nonce is new to authz (see wrk/presigned.lua).

export interface Signed {
  authorization: string
  contentDigest?: string
}

export interface BenchRequest {
  path: string
  headers: Readonly<Record<string, string>>
  /** The status authz (or nginx) must answer. */
  expect: number
  /** Makes one signed credential per call (HMAC scenarios). */
  sign?: () => Signed
  /** Requests to send before checking (the limited client spends its quota). */
  prime?: number
}

const CALLER_IP = '203.0.113.7'
/** `gk_` and 49 base62 characters, as a real key, but its last six (the checksum) do not match. */
export const GARBAGE_KEY = `gk_${'Garbage0'.repeat(6)}x`

function original(uri: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    'X-Original-URI': uri,
    'X-Original-Method': 'GET',
    'X-Original-Host': BENCH_HOST,
    'X-Real-IP': CALLER_IP,
    'X-Forwarded-For': CALLER_IP,
    'X-Original-Client-IP': CALLER_IP,
    'X-Request-ID': '5f0c6b2ad1e84e0c9c1f0a7b3d2e4f61',
    ...extra,
  }
}

export type DirectKind =
  | 'public'
  | 'api_key'
  | 'hmac_v1'
  | 'hmac_v2'
  | 'denied'
  | 'garbage'
  | 'rate_limited_allowed'
  | 'rate_limited_refused'
  | 'unmatched'

export function directRequest(kind: DirectKind, f: Fixtures): BenchRequest {
  const path = '/authz'
  const bearer = (key: string) => ({ Authorization: `Bearer ${key}` })
  switch (kind) {
    case 'public':
      return { path, headers: original('/bench/public/items/42?page=2'), expect: 200 }
    case 'api_key':
      return { path, headers: original('/bench/key/items/42?page=2', bearer(f.key.apiKey)), expect: 200 }
    case 'hmac_v1': {
      const uri = '/bench/hmac/items/42'
      const sign = () => ({
        authorization: signRequestV1({ clientId: f.signer.id, secret: f.signer.secret, method: 'GET', path: uri })
          .authorization,
      })
      return { path, headers: original(uri), expect: 200, sign }
    }
    case 'hmac_v2': {
      const uri = '/bench/hmac2/items/42?page=2'
      const sign = () => {
        const s = signRequestV2({
          clientId: f.signer.id,
          secret: f.signer.secret,
          method: 'GET',
          host: BENCH_HOST,
          path: uri,
        })
        return { authorization: s.authorization, contentDigest: s.contentDigest }
      }
      return { path, headers: original(uri), expect: 200, sign }
    }
    case 'denied':
      // Well-formed (the checksum passes) but unknown: digest and lookup, then 401.
      return { path, headers: original('/bench/key/items/42?page=2', bearer(generateApiKey())), expect: 401 }
    case 'garbage':
      // What a flood of made-up keys looks like: a key's shape whose checksum fails, refused before any digest.
      return { path, headers: original('/bench/key/items/42?page=2', bearer(GARBAGE_KEY)), expect: 401 }
    case 'rate_limited_allowed':
      return { path, headers: original('/bench/key/items/42?page=2', bearer(f.metered.apiKey)), expect: 200 }
    case 'rate_limited_refused':
      return { path, headers: original('/bench/key/items/42?page=2', bearer(f.limited.apiKey)), expect: 429, prime: 1 }
    case 'unmatched':
      return {
        path,
        headers: original('/nothing/here?page=2', { 'X-Original-Host': 'unknown.example.org' }),
        expect: 403,
      }
  }
}

/** Through nginx: the client's own request to the protected API, with the API key of the main scenario. */
export function nginxRequest(f: Fixtures): BenchRequest {
  return {
    path: '/bench/key/items/42?page=2',
    headers: { Host: BENCH_HOST, Authorization: `Bearer ${f.key.apiKey}` },
    expect: 200,
  }
}

/** The baseline server answers anything; it gets the same headers as the API-key scenario. */
export function baselineRequest(f: Fixtures): BenchRequest {
  return { ...directRequest('api_key', f), path: '/authz' }
}
