import { randomUUID } from 'node:crypto'
import { signRequestV1 } from '@gatekeeper/crypto'
import type { CorpusEntry } from './schema'

// Fills a corpus entry's placeholders with this run's identities and turns it into wire requests.
//
//   {<client>.key}  {<client>.id}           an API key / client id of the scenario
//   {now}  {nonce}                          epoch seconds, a fresh nonce (the same within one rendering)
//   {v1:<client>:<METHOD>:<path>}           a complete, valid HMAC v1 Authorization value for that request
//   {v1sig:<client>:<METHOD>:<path>}        only its signature (to build a tampered header around it)

export interface Identity {
  id: string
  apiKey: string
  secret: string
}

export type Identities = Readonly<Record<string, Identity>>

const DEFAULT_HOST = 'api.example.com'

export interface RenderedRequest {
  method: string
  target: string
  host: string
  /** Header lines in order, duplicates kept. */
  headers: Array<[string, string]>
}

const PLACEHOLDER = /\{([^{}]+)\}/g

function identity(identities: Identities, name: string): Identity {
  const found = identities[name]
  if (found === undefined) throw new Error(`corpus: unknown identity ${name}`)
  return found
}

function renderValue(text: string, identities: Identities, clock: { now: number; nonce: string }): string {
  return text.replace(PLACEHOLDER, (whole, inner: string) => {
    if (inner === 'now') return String(clock.now)
    if (inner === 'nonce') return clock.nonce
    const sign = /^(v1|v1sig):([a-z]+):([A-Z]+):(.+)$/.exec(inner)
    if (sign !== null) {
      const [, kind, who = '', method = '', path = ''] = sign
      const id = identity(identities, who)
      const signed = signRequestV1({
        clientId: id.id,
        secret: id.secret,
        method,
        path,
        timestamp: clock.now,
        nonce: clock.nonce,
      })
      return kind === 'v1' ? signed.authorization : signed.signature
    }
    const field = /^([a-z]+)\.(key|id)$/.exec(inner)
    if (field !== null) {
      const id = identity(identities, field[1] ?? '')
      return field[2] === 'key' ? id.apiKey : id.id
    }
    throw new Error(`corpus: unknown placeholder ${whole}`)
  })
}

/** The request a client sends (to nginx). */
export function renderClientRequest(entry: CorpusEntry, identities: Identities, nowSeconds: number): RenderedRequest {
  const clock = { now: nowSeconds, nonce: randomUUID() }
  const headers: Array<[string, string]> = []
  for (const [name, value] of Object.entries(entry.request.headers)) {
    for (const one of typeof value === 'string' ? [value] : value)
      headers.push([name, renderValue(one, identities, clock)])
  }
  return {
    method: entry.request.method,
    target: renderValue(entry.request.target, identities, clock),
    host: entry.request.host ?? DEFAULT_HOST,
    headers,
  }
}

/**
 * What authz receives for that request when asked directly: the request line and Host become X-Original-*
 * (as nginx's `$request_uri`, `$request_method`, `$host` would carry them), the client's own headers follow as
 * they are — so a client header named X-Original-URI arrives as a second one, as it would through a proxy that
 * appends instead of replacing.
 */
export function toAuthzRequest(client: RenderedRequest): RenderedRequest {
  return {
    method: 'GET',
    target: '/authz',
    host: client.host,
    headers: [
      ['X-Original-URI', client.target],
      ['X-Original-Method', client.method],
      ['X-Original-Host', client.host],
      ...client.headers,
    ],
  }
}
