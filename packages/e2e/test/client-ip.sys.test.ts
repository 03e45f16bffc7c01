import { send } from '@gatekeeper/testkit/http'
import { beforeAll, describe, expect, it } from 'vitest'
import { withoutDirective } from '../src/mutate'
import { CDN_IP, NGINX_SOURCE_IP, type StackNginx } from '../src/stack'
import { useStack } from '../src/use-stack'

// Who authz thinks the client is (its audit line's client_ip), through each hop. authz runs with
// TRUSTED_FORWARDER_IPS=127.0.0.1, the address nginx connects from; 127.0.0.5 plays the CDN (the only address in
// the ranges file cdn-forwarder.conf includes); other loopback addresses play clients and untrusted callers.

const { stack, nginx: direct } = useStack()
let behindCdn: StackNginx
let passingClientHeaders: StackNginx

const AUTH = 'location = /_gatekeeper/authz {'

beforeAll(async () => {
  behindCdn = await stack.nginx('cdn-forwarder.conf')
  // An auth location like the smallest one in getting-started.md: it sets no X-Real-IP and no
  // X-Original-Client-IP, so nginx passes the client's own copies (and X-Forwarded-For starts with the client's).
  passingClientHeaders = await stack.nginx('protected-api.conf', {
    name: 'client-ip-passthrough',
    mutate: (text) =>
      withoutDirective(
        withoutDirective(text, AUTH, 'proxy_set_header X-Real-IP         $remote_addr;'),
        AUTH,
        'proxy_set_header X-Original-Client-IP $remote_addr;',
      ),
  })
})

async function clientIpSeen(reply: { headers: Record<string, string> }): Promise<string> {
  const requestId = reply.headers['x-request-id']
  if (requestId === undefined) throw new Error('no X-Request-ID in the reply')
  return (await stack.authz.auditFor(requestId)).client_ip
}

/** GET /pub/ip through `nginx` from `localAddress`: the reply, and the client IP authz logged for it. */
async function ipThrough(nginx: StackNginx, localAddress: string, headers: Record<string, string>) {
  const reply = await send({ port: nginx.port, path: '/pub/ip', localAddress, headers })
  return { reply, ip: await clientIpSeen(reply) }
}

/** A caller talking to authz itself, as another nginx (or anyone who can reach it) would. */
async function askAuthzDirectly(
  from: string,
  originalClientIp: string,
  extra: Record<string, string> = {},
): Promise<string> {
  const requestId = `direct-${from.replaceAll('.', '-')}-${Date.now()}`
  const reply = await send({
    port: stack.authz.port,
    path: '/authz',
    localAddress: from,
    headers: {
      'X-Original-URI': '/pub/direct',
      'X-Original-Method': 'GET',
      'X-Original-Host': 'api.example.com',
      'X-Original-Client-IP': originalClientIp,
      'X-Request-ID': requestId,
      ...extra,
    },
  })
  expect(reply.status).toBe(200)
  return (await stack.authz.auditFor(requestId)).client_ip
}

describe('X-Original-Client-IP at authz', () => {
  it('is honoured from a trusted forwarder', async () => {
    expect(await askAuthzDirectly(NGINX_SOURCE_IP, '198.51.100.7')).toBe('198.51.100.7')
  })

  it('is ignored from any other caller', async () => {
    expect(await askAuthzDirectly('127.0.0.2', '198.51.100.7')).toBe('127.0.0.2')
  })

  it('X-Real-IP and X-Forwarded-For name nobody, from any caller', async () => {
    const claims = { 'X-Real-IP': '198.51.100.8', 'X-Forwarded-For': '198.51.100.9' }
    expect(await askAuthzDirectly('127.0.0.2', 'not-an-address', claims)).toBe('127.0.0.2')
    expect(await askAuthzDirectly(NGINX_SOURCE_IP, 'not-an-address', claims)).toBe(NGINX_SOURCE_IP)
  })
})

describe('an nginx that passes the client its own X-Real-IP and X-Forwarded-For', () => {
  it('cannot let a client choose the address its allowlist is checked against', async () => {
    const { reply, ip } = await ipThrough(passingClientHeaders, '127.0.0.9', {
      'X-Real-IP': '198.51.100.77',
      'X-Forwarded-For': '198.51.100.78',
    })
    expect(reply.status).toBe(200)
    // nginx, the peer authz sees: not the client's claim. With X-Original-Client-IP set it would be the client.
    expect(ip).toBe(NGINX_SOURCE_IP)
  })
})

describe('protected-api.conf', () => {
  it("replaces a client's X-Original-Client-IP with its address, so trusting nginx trusts no client", async () => {
    const { reply, ip } = await ipThrough(direct, '127.0.0.9', {
      'X-Original-Client-IP': '203.0.113.66',
      'X-Real-IP': '203.0.113.68',
      'X-Forwarded-For': '203.0.113.67',
    })
    expect(reply.status).toBe(200)
    expect(ip).toBe('127.0.0.9')
  })
})

describe('cdn-forwarder.conf', () => {
  it('names the client from CF-Connecting-IP when the connection comes from the CDN', async () => {
    const { reply, ip } = await ipThrough(behindCdn, CDN_IP, { 'CF-Connecting-IP': '198.51.100.42' })
    expect(reply.status).toBe(200)
    expect(ip).toBe('198.51.100.42')
    expect(JSON.parse(reply.body)).toMatchObject({ headers: { 'x-real-ip': ['198.51.100.42'] } })
  })

  it('ignores CF-Connecting-IP and X-Original-Client-IP from anyone reaching the origin directly', async () => {
    const { reply, ip } = await ipThrough(behindCdn, '127.0.0.6', {
      'CF-Connecting-IP': '198.51.100.99',
      'X-Original-Client-IP': '198.51.100.98',
    })
    expect(reply.status).toBe(200)
    expect(ip).toBe('127.0.0.6')
  })

  it('ignores an X-Original-Client-IP sent through the CDN too', async () => {
    const { ip } = await ipThrough(behindCdn, CDN_IP, {
      'CF-Connecting-IP': '198.51.100.42',
      'X-Original-Client-IP': '198.51.100.98',
    })
    expect(ip).toBe('198.51.100.42')
  })
})
