import { useScenario } from '@gatekeeper/e2e/use-stack'
import { beforeAll, describe, expect, it } from 'vitest'
import { rawRequest } from '../src/http/raw'
import type { RunningNginx } from '../src/stack/e2e'

// authz decides on the request line (method and path). An upstream framework that honours a method-override or
// path-rewrite header would execute something else: POST /key/x with `X-HTTP-Method-Override: DELETE`, allowed
// as a POST, runs as a DELETE the client may not make (the ESPv2 class, CVE-2023-30845; Symfony's X-Original-URL,
// CVE-2018-14773). Every shipped protected-API config must keep those headers from the upstream, on an allowed
// request, where it matters. The same for the host: an API that trusts its proxy's X-Forwarded-Host (or Forwarded)
// routes and builds URLs by it, so it must be the host authz decided for.

const VARIANTS = ['protected-api.conf', 'cdn-forwarder.conf', 'public-cache.conf'] as const
const STRIPPED = ['X-HTTP-Method-Override', 'X-HTTP-Method', 'X-Method-Override', 'X-Original-URL', 'X-Rewrite-URL']

const { stack, scenario: s } = useScenario()
const running = new Map<string, RunningNginx>()

beforeAll(async () => {
  for (const file of VARIANTS) running.set(file, await stack.nginx(file))
})

describe.each(VARIANTS)('%s', (file) => {
  it.each(STRIPPED)('an allowed request never carries %s to the upstream', async (header) => {
    const nginx = running.get(file)
    if (nginx === undefined) throw new Error(`${file} is not running`)
    const before = stack.upstream.received.length
    const reply = await rawRequest({
      port: nginx.port,
      method: 'POST',
      target: '/key/x',
      headers: [
        ['Host', 'api.example.com'],
        ['Authorization', `Bearer ${s.alice.apiKey}`],
        [header, header.includes('URL') ? '/secret/x' : 'DELETE'],
      ],
      body: '{}',
    })
    expect(reply.status).toBe(200)
    const echo = stack.upstream.received[before]
    expect(echo?.method).toBe('POST')
    expect(echo?.headers[header.toLowerCase()]).toBeUndefined()
  })

  it("an allowed request carries the decided host in X-Forwarded-Host, and no client's Forwarded or X-Forwarded-Prefix", async () => {
    const nginx = running.get(file)
    if (nginx === undefined) throw new Error(`${file} is not running`)
    const before = stack.upstream.received.length
    const reply = await rawRequest({
      port: nginx.port,
      method: 'GET',
      target: '/key/x',
      headers: [
        ['Host', 'api.example.com'],
        ['Authorization', `Bearer ${s.alice.apiKey}`],
        ['X-Forwarded-Host', 'internal.example.com'],
        ['X-Forwarded-Prefix', '/secret'],
        ['Forwarded', 'for=127.0.0.1;host=internal.example.com;proto=https'],
      ],
    })
    expect(reply.status).toBe(200)
    const headers = stack.upstream.received[before]?.headers
    expect(headers?.['x-forwarded-host']).toEqual(['api.example.com'])
    expect(headers?.['x-forwarded-prefix']).toBeUndefined()
    expect(headers?.forwarded).toBeUndefined()
  })
})
