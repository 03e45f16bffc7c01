import { signRequestV1 } from '@gatekeeper/crypto'
import { useStack } from '@gatekeeper/e2e/use-stack'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type RawReply, rawRequest } from '../src/http/raw'

// Oversized headers and bodies, invalid UTF-8, control characters and malformed framing, straight to authz and
// through nginx: always a clear 4xx, never a 5xx, never a hang, never a crash, never the upstream.

const { stack, scenario: s, nginx } = useStack()

type Lines = Array<[string, string]>

/** A request as nginx asks authz about GET `uri`, plus `extra`; `without` leaves one of nginx's headers out. */
function toAuthz(
  uri: string,
  extra: Lines = [],
  init: {
    method?: string
    body?: string | Uint8Array
    contentLength?: boolean
    without?: string
    timeoutMs?: number
  } = {},
) {
  const original: Lines = [
    ['X-Original-URI', uri],
    ['X-Original-Method', 'GET'],
    ['X-Original-Host', 'api.example.com'],
  ]
  return rawRequest({
    port: stack.authz.port,
    method: init.method ?? 'GET',
    target: '/authz',
    headers: [['Host', 'api.example.com'], ...original.filter(([name]) => name !== init.without), ...extra],
    body: init.body,
    contentLength: init.contentLength,
    timeoutMs: init.timeoutMs ?? 10_000,
  })
}

async function toNginx(
  method: string,
  target: string,
  extra: Lines = [],
  body?: string | Uint8Array,
): Promise<RawReply & { reached: number }> {
  const before = stack.upstream.hits
  const reply = await rawRequest({
    port: nginx.port,
    method,
    target,
    headers: [['Host', 'api.example.com'], ...extra],
    body,
    timeoutMs: 10_000,
  })
  return { ...reply, reached: stack.upstream.hits - before }
}

function expectClear4xx(reply: RawReply, statuses: readonly number[] = [400, 401, 403, 413, 414, 431]) {
  expect(statuses, `${reply.status} ${reply.body.slice(0, 200)}`).toContain(reply.status)
}

const key = () => s.alice.apiKey

describe('oversized input', () => {
  it('headers beyond 64 KiB: 431 from authz, 400 from nginx', async () => {
    const huge = `Bearer ${'a'.repeat(70_000)}`
    expectClear4xx(await toAuthz('/key/x', [['Authorization', huge]]), [431])
    const viaNginx = await toNginx('GET', '/key/x', [['Authorization', huge]])
    expectClear4xx(viaNginx, [400, 431])
    expect(viaNginx.reached).toBe(0)
  })

  it('headers that fill nginx buffers (3 x 7 KB) are decided by authz, not turned into a 503', async () => {
    // Over node's default 16 KiB once nginx adds its own: authz answered 431, which nginx turned into a 503.
    const pads: Lines = [0, 1, 2].map((i) => [`X-Pad-${i}`, 'p'.repeat(7000)])
    const anonymous = await toNginx('GET', '/key/x', pads)
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers['x-auth-reason']).toBe('missing_credentials')
    expect(anonymous.reached).toBe(0)
    const wrongKey = await toNginx('GET', '/key/x', [['Authorization', 'Bearer gk_nope'], ...pads])
    expect(wrongKey.status).toBe(401)
    expect(wrongKey.headers['x-auth-reason']).toBe('invalid_credentials')
  })

  it('a 7 KiB credential that fits the buffers is refused by authz, not by a crash', async () => {
    const big = `Bearer ${'a'.repeat(7000)}`
    const direct = await toAuthz('/key/x', [['Authorization', big]])
    expect(direct.status).toBe(401)
    expect(direct.headers['x-auth-reason']).toBe('invalid_credentials')
    const viaNginx = await toNginx('GET', '/key/x', [['Authorization', big]])
    expect(viaNginx.status).toBe(401)
    expect(viaNginx.reached).toBe(0)
  })

  it('a request target beyond 8 KiB: 400 from authz, 414 from nginx', async () => {
    const long = `/key/${'a'.repeat(9000)}`
    const direct = await toAuthz(long, [['Authorization', `Bearer ${key()}`]])
    expect(direct.status).toBe(400)
    expect(direct.body).toContain('too_long')
    const viaNginx = await toNginx('GET', long, [['Authorization', `Bearer ${key()}`]])
    expectClear4xx(viaNginx, [400, 414])
    expect(viaNginx.reached).toBe(0)
  })

  it('hundreds of headers: decided as usual', async () => {
    const many: Lines = Array.from({ length: 300 }, (_, i) => [`X-Filler-${i}`, 'x'])
    const direct = await toAuthz('/key/x', [...many, ['Authorization', `Bearer ${key()}`]])
    expect(direct.status).toBe(200)
    const viaNginx = await toNginx('GET', '/secret/x', many)
    expect(viaNginx.status).toBe(401)
  })

  it('a body beyond 1 MiB on a signed request: 400 body_too_large, declared or chunked', async () => {
    const body = 'x'.repeat(1024 * 1024 + 1)
    const authorization = signRequestV1({
      clientId: s.alice.id,
      secret: s.alice.secret,
      method: 'GET',
      path: '/hmac/x',
      body,
    }).authorization
    const declared = await toAuthz('/hmac/x', [['Authorization', authorization]], { method: 'POST', body })
    expect(declared.status).toBe(400)
    expect(declared.body).toContain('body_too_large')
    const chunk = (text: string) => `${text.length.toString(16)}\r\n${text}\r\n`
    const chunked = `${chunk(body.slice(0, 600_000))}${chunk(body.slice(600_000))}0\r\n\r\n`
    const streamed = await toAuthz(
      '/hmac/x',
      [
        ['Authorization', authorization],
        ['Transfer-Encoding', 'chunked'],
      ],
      {
        method: 'POST',
        body: chunked,
        contentLength: false,
      },
    )
    expect(streamed.status).toBe(400)
    expect(streamed.body).toContain('body_too_large')
  })

  it('a body beyond nginx client_max_body_size: 413 before anything reaches the upstream', async () => {
    const viaNginx = await toNginx(
      'POST',
      '/key/x',
      [['Authorization', `Bearer ${key()}`]],
      'x'.repeat(2 * 1024 * 1024),
    )
    expect(viaNginx.status).toBe(413)
    expect(viaNginx.reached).toBe(0)
  })
})

describe('invalid UTF-8 and control characters', () => {
  it.each([
    ['raw invalid UTF-8 in the path', '/key/\u00c3\u0028'],
    ['raw lone continuation byte', '/key/\u0080x'],
    ['encoded invalid UTF-8', '/key/%c3%28'],
    ['encoded surrogate half', '/key/%ed%a0%80'],
    ['encoded overlong NUL', '/key/%c0%80'],
  ])('%s: 400 from authz, a 4xx through nginx', async (_name, target) => {
    const direct = await toAuthz(target, [['Authorization', `Bearer ${key()}`]])
    expect(direct.status).toBe(400)
    const viaNginx = await toNginx('GET', target, [['Authorization', `Bearer ${key()}`]])
    expectClear4xx(viaNginx, [400])
    expect(viaNginx.reached).toBe(0)
  })

  it.each([
    ['invalid UTF-8 in Authorization', [['Authorization', 'Bearer \u00ff\u00fe\u00c3']]],
    ['invalid UTF-8 in the host', [['X-Original-Host', 'api.\u00ffexample.com']]],
    ['DEL in Authorization', [['Authorization', 'Bearer abc\u007fdef']]],
  ] as Array<[string, Lines]>)('%s: a 4xx from authz', async (_name, extra) => {
    const reply = await toAuthz('/key/x', extra)
    expectClear4xx(reply, [400, 401])
  })

  it.each([
    ['NUL in a header value', 'Authorization', `Bearer ab\u0000cd`],
    ['bare CR in a header value', 'Authorization', 'Bearer ab\rcd'],
    ['control character in X-Original-URI', 'X-Original-URI', '/key/\u0001x'],
    ['ESC in X-Original-URI', 'X-Original-URI', '/key/\u001bx'],
  ])('%s: refused by the HTTP layer or authz', async (_name, name, value) => {
    const reply = await toAuthz('/key/x', [[name, value]], { without: name })
    expectClear4xx(reply, [400, 401])
  })

  it.each([
    ['control character in the request line', '/key/\u0001x'],
    ['raw space in the target', '/key/a b'],
    ['raw tab in the target', '/key/a\tb'],
    ['DEL in the target', '/key/\u007f'],
  ])('%s through nginx: 400', async (_name, target) => {
    const viaNginx = await toNginx('GET', target, [['Authorization', `Bearer ${key()}`]])
    expectClear4xx(viaNginx, [400])
    expect(viaNginx.reached).toBe(0)
  })

  it('an obsolete folded header line is refused, not joined into a credential', async () => {
    const reply = await rawRequest({
      port: nginx.port,
      method: 'GET',
      target: '/secret/x',
      headers: [
        ['Host', 'api.example.com'],
        ['Authorization', `Bearer ${s.alice.apiKey}\r\n Bearer ${s.insider.apiKey}`],
      ],
    })
    expectClear4xx(reply, [400, 401])
    const direct = await toAuthz('/secret/x', [['Authorization', `Bearer ${s.alice.apiKey}\r\n ${s.insider.apiKey}`]])
    expectClear4xx(direct, [400, 401])
  })
})

describe('fuzzed request targets and header values straight to authz', () => {
  it('every reply is a 2xx/4xx with a body authz wrote or an HTTP-layer 400; never a 5xx, never a hang', async () => {
    const byte = fc.integer({ min: 0, max: 255 }).map((b) => String.fromCharCode(b))
    const wild = fc.string({
      unit: fc.oneof(byte, fc.constantFrom('/', '.', '%', '..', '%2e', '%2f', ';', '?', '#', 'a')),
      maxLength: 40,
    })
    await fc.assert(
      fc.asyncProperty(
        wild,
        wild,
        fc.constantFrom('Authorization', 'X-Original-Host', 'X-Original-Method', 'Content-Digest'),
        async (path, value, name) => {
          const reply = await toAuthz(`/${path.replace(/[\r\n]/g, '')}`, [[name, value.replace(/[\r\n]/g, '')]], {
            without: name,
            timeoutMs: 5000,
          })
          expect(reply.status).toBeLessThan(500)
        },
      ),
      { numRuns: 400 },
    )
  })
})

describe('after all of it', () => {
  it('authz and nginx are still up, authz logged no 5xx and no internal error', async () => {
    expect(stack.authz.process.running).toBe(true)
    expect(nginx.process.running).toBe(true)
    const health = await rawRequest({
      port: stack.authz.port,
      method: 'GET',
      target: '/health',
      headers: [['Host', 'x']],
    })
    expect(health.status).toBe(200)
    expect(stack.authz.audit().filter((line) => line.status >= 500)).toEqual([])
    expect(stack.authz.process.lines.filter((line) => /internal_error|unhandled|uncaught/i.test(line))).toEqual([])
  })
})
