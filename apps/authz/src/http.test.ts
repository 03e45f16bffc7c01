// The app on a real loopback socket: what nginx actually sees on the wire (framing, keep-alive), and what
// node's own header handling would hide (a second Authorization value, the socket peer address).

import { ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import net from 'node:net'
import { API_KEY, makeApiKey, makeClient, makePermission, makeRoute } from '@gatekeeper/engine/testing'
import { serve } from '@hono/node-server'
import { afterEach, describe, expect, it } from 'vitest'
import { makeTestWorld } from '../test/support/world'
import { createApp } from './app'
import { OneWriteResponse } from './one-write-response'

const HOST = 'api.example.com'

interface RawResponse {
  status: number
  headers: Map<string, string[]>
  body: string
  raw: string
}

/** Reads exactly `count` responses off one socket (responses must carry Content-Length, as /authz's do). */
function exchange(port: number, requests: string[]): Promise<RawResponse[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    let buffer = ''
    const responses: RawResponse[] = []
    socket.setEncoding('latin1')
    socket.on('error', reject)
    socket.on('data', (chunk: string) => {
      buffer += chunk
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n')
        if (end < 0) return
        const head = buffer.slice(0, end).split('\r\n')
        const headers = new Map<string, string[]>()
        for (const line of head.slice(1)) {
          const colon = line.indexOf(':')
          const name = line.slice(0, colon).toLowerCase()
          headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()])
        }
        const length = Number(headers.get('content-length')?.[0] ?? Number.NaN)
        if (Number.isNaN(length)) {
          reject(new Error(`response without content-length:\n${buffer}`))
          return
        }
        if (buffer.length < end + 4 + length) return
        const body = buffer.slice(end + 4, end + 4 + length)
        responses.push({
          status: Number(head[0]?.split(' ')[1]),
          headers,
          body,
          raw: buffer.slice(0, end + 4 + length),
        })
        buffer = buffer.slice(end + 4 + length)
        if (responses.length === requests.length) {
          socket.end()
          resolve(responses)
          return
        }
      }
    })
    socket.write(requests.join(''))
  })
}

function request(headers: [string, string][]): string {
  return `GET /authz HTTP/1.1\r\nHost: authz.internal\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`
}

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

/** Serves the app on a loopback port, with authz's own ServerResponse unless told otherwise. */
function listen(app: ReturnType<typeof createApp>, serverResponse: typeof ServerResponse = OneWriteResponse) {
  return new Promise<number>((resolve) => {
    const server = serve(
      { fetch: app.fetch, port: 0, hostname: '127.0.0.1', serverOptions: { ServerResponse: serverResponse } },
      (info: AddressInfo) => resolve(info.port),
    )
    closers.push(
      () =>
        new Promise<void>((done) => {
          server.close(() => done())
          if ('closeAllConnections' in server) server.closeAllConnections()
        }),
    )
  })
}

function setup(trustedForwarders: string[] = []) {
  const w = makeTestWorld({ trustedForwarders })
  const state = w.snapshot.state
  if (state === undefined) throw new Error('setup')
  const route = makeRoute({ domain: HOST, routePattern: '/api/*', methods: { GET: API_KEY } })
  const client = makeClient()
  const { key, credential } = makeApiKey(client.id)
  state.upsertRoute(route)
  state.upsertClient(client)
  state.upsertCredential(credential)
  state.upsertPermission(makePermission(client.id, route.id, ['GET']))
  return { app: createApp(w.deps), key, clientId: client.id, w }
}

async function start(trustedForwarders: string[] = []) {
  const { app, key, w } = setup(trustedForwarders)
  return { port: await listen(app), key, w }
}

const BASE: [string, string][] = [
  ['X-Original-URI', '/api/items/1'],
  ['X-Original-Method', 'GET'],
  ['X-Original-Host', HOST],
]

describe('/authz on the wire', () => {
  it('allow and deny both carry Content-Length and never Transfer-Encoding: chunked; keep-alive holds', async () => {
    const { port, key } = await start()
    const [allowed, denied, again] = await exchange(port, [
      request([...BASE, ['Authorization', `Bearer ${key}`]]),
      request(BASE),
      request([...BASE, ['Authorization', `Bearer ${key}`]]),
    ])
    for (const r of [allowed, denied, again]) {
      expect(r?.headers.get('transfer-encoding')).toBeUndefined()
      expect(r?.raw.toLowerCase()).not.toContain('chunked')
      expect(r?.headers.get('connection')?.[0]).not.toBe('close')
    }
    expect(allowed?.status).toBe(200)
    expect(allowed?.headers.get('content-length')).toEqual(['0'])
    expect(allowed?.body).toBe('')
    expect(denied?.status).toBe(401)
    expect(denied?.headers.get('content-length')).toEqual([String(denied?.body.length)])
    expect(JSON.parse(denied?.body ?? '')).toEqual({ allowed: false, reason: 'missing_credentials' })
    expect(again?.status).toBe(200) // the third answer came back on the same connection
  })

  it("replies byte for byte as node's own ServerResponse does, alone on a connection and pipelined", async () => {
    const { app, key, clientId } = setup()
    const unknownKey = makeApiKey(clientId).key
    // The last character is part of the checksum: a key of the right shape that fails it.
    const malformedKey = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`
    const requests = [
      [...BASE, ['Authorization', `Bearer ${key}`]],
      [...BASE, ['Authorization', `Bearer ${unknownKey}`]],
      [...BASE, ['Authorization', `Bearer ${malformedKey}`]],
      BASE,
      [['X-Original-URI', '/elsewhere'], ...BASE.slice(1), ['Authorization', `Bearer ${key}`]],
      [...BASE, ['X-Original-URI', '/api/items/2']],
    ].map((headers, i) => request([...(headers as [string, string][]), ['X-Request-ID', `wire-${i}`]]))
    const nodePort = await listen(app, ServerResponse)
    const oursPort = await listen(app)
    // Date is the only header that may differ between two replies.
    const raw = async (port: number) => {
      const alone = []
      for (const r of requests) alone.push(...(await exchange(port, [r])))
      const pipelined = await exchange(port, requests)
      return [...alone, ...pipelined].map((r) => r.raw.replace(/\r\nDate: [^\r]*\r\n/, '\r\nDate: -\r\n'))
    }
    const [fromNode, fromOurs] = [await raw(nodePort), await raw(oursPort)]
    expect(fromOurs).toEqual(fromNode)
    expect(fromOurs.slice(0, 6).map((r) => r.split(' ')[1])).toEqual(['200', '401', '401', '401', '403', '400'])
    expect(fromOurs[1]).toBe(
      'HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: 48\r\n' +
        'x-auth-reason: invalid_credentials\r\nx-request-id: wire-1\r\n' +
        'www-authenticate: Bearer realm="gatekeeper", ApiKey realm="gatekeeper", HMAC realm="gatekeeper"\r\n' +
        'Date: -\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\n' +
        '{"allowed":false,"reason":"invalid_credentials"}',
    )
  })

  it('a second Authorization header is refused, although node itself would silently drop it', async () => {
    const { port, key } = await start()
    const [one, two, twoFirstBad] = await exchange(port, [
      request([...BASE, ['Authorization', `Bearer ${key}`]]),
      request([...BASE, ['Authorization', `Bearer ${key}`], ['Authorization', `Bearer ${key}`]]),
      request([...BASE, ['Authorization', `Bearer ${key}`], ['authorization', 'Bearer gk_someone_else']]),
    ])
    expect(one?.status).toBe(200)
    expect(two?.status).toBe(400)
    expect(two?.headers.get('x-auth-reason')).toEqual(['ambiguous_credential'])
    expect(twoFirstBad?.status).toBe(400)
  })

  it('an X-API-Key or Api-Key header next to Authorization is refused', async () => {
    const { port, key } = await start()
    const responses = await exchange(port, [
      request([...BASE, ['Authorization', `Bearer ${key}`], ['X-API-Key', 'gk_someone_else']]),
      request([...BASE, ['Authorization', `Bearer ${key}`], ['api-key', 'gk_someone_else']]),
    ])
    for (const r of responses) {
      expect(r.status).toBe(400)
      expect(r.headers.get('x-auth-reason')).toEqual(['ambiguous_credential'])
    }
  })

  it('a second X-Original-URI / -Host / -Method is a 400', async () => {
    const { port } = await start()
    const responses = await exchange(port, [
      request([...BASE, ['X-Original-URI', '/other']]),
      request([...BASE, ['x-original-host', 'evil.example.com']]),
      request([...BASE, ['X-ORIGINAL-METHOD', 'POST']]),
    ])
    for (const r of responses) {
      expect(r.status).toBe(400)
      expect(JSON.parse(r.body)).toMatchObject({
        reason: 'bad_request',
        detail: expect.stringMatching(/^more than one/),
      })
    }
  })
})

describe('client IP and trusted forwarders', () => {
  it('an untrusted peer is the address it connects from, whatever X-Original-Client-IP, X-Real-IP or X-Forwarded-For it sends', async () => {
    const { port, w } = await start([])
    await exchange(port, [
      request([...BASE, ['X-Original-Client-IP', '203.0.113.66'], ['X-Real-IP', '198.51.100.1']]),
      request([...BASE, ['X-Original-Client-IP', '203.0.113.66']]),
      request([...BASE, ['X-Forwarded-For', '198.51.100.9, 10.0.0.1']]),
      request([...BASE, ['X-Real-IP', '198.51.100.1']]),
    ])
    expect(w.audit.map((e) => e.client_ip)).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1', '127.0.0.1'])
  })

  it('a peer outside TRUSTED_FORWARDER_IPS cannot spoof it either', async () => {
    const { port, w } = await start(['10.0.0.0/8', '203.0.113.10'])
    await exchange(port, [request([...BASE, ['X-Original-Client-IP', '203.0.113.66']])])
    expect(w.audit[0]?.client_ip).toBe('127.0.0.1')
  })

  it("a trusted forwarder's X-Original-Client-IP is believed; its X-Real-IP and X-Forwarded-For are not", async () => {
    const { port, w } = await start(['127.0.0.0/8'])
    await exchange(port, [
      request([...BASE, ['X-Original-Client-IP', '203.0.113.66'], ['X-Real-IP', '198.51.100.1']]),
      request([...BASE, ['X-Original-Client-IP', 'not-an-ip'], ['X-Real-IP', '198.51.100.1']]),
      request([...BASE, ['X-Real-IP', '198.51.100.1'], ['X-Forwarded-For', '198.51.100.2']]),
    ])
    expect(w.audit.map((e) => e.client_ip)).toEqual(['203.0.113.66', '127.0.0.1', '127.0.0.1'])
  })
})
