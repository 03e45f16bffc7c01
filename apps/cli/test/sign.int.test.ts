import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import {
  parseHmacAuthorization,
  signRequestV2,
  verifyContentDigest,
  verifyV1Signature,
  verifyV2Signature,
} from '@gatekeeper/crypto'
import v1File from '@gatekeeper/signer/vectors/hmac-v1'
import v2File from '@gatekeeper/signer/vectors/hmac-v2'
import { describe, expect, it } from 'vitest'
import { cliEnv, cliJson, expectOneLineError, runCli } from './support/cli'

type Vector = {
  name: string
  secret: string
  clientId: string
  method: string
  path: string
  timestamp: number
  nonce: string
  /** null when the body is not text (then only bodyBase64 carries it) */
  body: string | null
  bodyBase64: string
  expectedSignature: string
  expectedAuthorization: string
}

const vectors = (v1File as { vectors: Vector[] }).vectors

/** Bodies that survive being a command-line argument (the binary one goes through --body-file only). */
const textVectors = vectors.filter(
  (v) => v.body !== null && Buffer.from(v.body, 'utf8').toString('base64') === v.bodyBase64,
)

// No database is involved: sign is pure, but it is still the built CLI under plain node.
const env = cliEnv(undefined)
const run = promisify(execFile)
const dir = mkdtempSync(path.join(tmpdir(), 'gk-sign-'))

describe('sign', () => {
  it.each(textVectors)('matches the crypto vector "$name" (body as an argument)', async (v) => {
    const args = ['sign', '--v1', '--client-id', v.clientId, '--secret', v.secret, '--method', v.method]
    args.push('--path', v.path)
    args.push('--timestamp', String(v.timestamp), '--nonce', v.nonce)
    if (v.body) args.push('--body', v.body)
    const result = await runCli(args, env)
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`${v.expectedAuthorization}\n`)
    // A body under v1 cannot be checked behind nginx: said on stderr, the header still printed.
    if (v.body) expect(result.stderr).toMatch(/^warning: v1 signs the body, but behind nginx auth_request/)
    else expect(result.stderr).toBe('')
  })

  it.each(vectors)(
    'matches "$name" with the secret from a file or the environment and the body from a file',
    async (v) => {
      const secretFile = path.join(dir, `${v.nonce}.secret`)
      const bodyFile = path.join(dir, `${v.nonce}.body`)
      writeFileSync(secretFile, `${v.secret}\n`)
      writeFileSync(bodyFile, Buffer.from(v.bodyBase64, 'base64'))
      const common = [
        '--v1',
        '--client-id',
        v.clientId,
        '--method',
        v.method.toLowerCase(),
        '--path',
        v.path,
        '--timestamp',
        String(v.timestamp),
        '--nonce',
        v.nonce,
        '--body-file',
        bodyFile,
      ]
      const fromFile = await runCli(['sign', '--secret-file', secretFile, ...common], env)
      expect(fromFile.stdout).toBe(`${v.expectedAuthorization}\n`)
      const fromEnv = await runCli(['sign', '--secret-env', 'MY_SECRET', ...common], { ...env, MY_SECRET: v.secret })
      expect(fromEnv.stdout).toBe(`${v.expectedAuthorization}\n`)
    },
  )

  it('without --timestamp/--nonce signs now with a fresh nonce, and the signature verifies', async () => {
    const before = Math.floor(Date.now() / 1000)
    const out = await cliJson<{ authorization: string; timestamp: number; nonce: string; signature: string }>(
      [
        'sign',
        '--v1',
        '--client-id',
        'c-1',
        '--secret',
        'gks_abc',
        '--method',
        'POST',
        '--path',
        '/api/orders?x=1',
        '--body',
        '{"a":1}',
      ],
      env,
    )
    expect(out.timestamp).toBeGreaterThanOrEqual(before)
    const parsed = parseHmacAuthorization(out.authorization)
    expect(parsed.ok).toBe(true)
    expect(
      verifyV1Signature({
        secret: 'gks_abc',
        method: 'POST',
        path: '/api/orders',
        timestamp: out.timestamp,
        nonce: out.nonce,
        body: '{"a":1}',
        signature: out.signature,
      }),
    ).toBe(true)
    const second = await cliJson<{ nonce: string }>(
      ['sign', '--v1', '--client-id', 'c-1', '--secret', 'gks_abc', '--path', '/x'],
      env,
    )
    expect(second.nonce).not.toBe(out.nonce)
  })

  it('--v1 --curl prints a complete command, taking the path from the URL', async () => {
    const [v] = vectors
    if (v === undefined) throw new Error('no vectors')
    const result = await runCli(
      [
        'sign',
        '--v1',
        '--client-id',
        v.clientId,
        '--secret',
        v.secret,
        '--timestamp',
        String(v.timestamp),
        '--nonce',
        v.nonce,
        '--curl',
        `https://api.example.com${v.path}`,
      ],
      env,
    )
    expect(result.stdout).toBe(
      `curl -i -X GET https://api.example.com${v.path} -H '${`Authorization: ${v.expectedAuthorization}`}'\n`,
    )
  })

  it('bad input: one line and exit 2', async () => {
    const noPath = await runCli(['sign', '--client-id', 'c', '--secret', 's'], env)
    expect(noPath.code).toBe(2)
    expect(expectOneLineError(noPath)).toMatch(/missing --path/)
    const badNonce = await runCli(
      ['sign', '--client-id', 'c', '--secret', 's', '--url', 'https://h.example/x', '--nonce', 'short'],
      env,
    )
    expect(badNonce.code).toBe(2)
    expect(expectOneLineError(badNonce)).toMatch(/nonce must be 8\.\.128 chars/)
    const unsetVar = await runCli(
      ['sign', '--client-id', 'c', '--secret-env', 'NOPE_NOT_SET', '--v1', '--path', '/x'],
      env,
    )
    expect(unsetVar.code).toBe(2)
    expect(expectOneLineError(unsetVar)).toBe('gatekeeper: --secret-env: NOPE_NOT_SET is not set')
    const both = await runCli(['sign', '--client-id', 'c', '--secret', 's', '--secret-env', 'X', '--path', '/x'], env)
    expect(both.code).toBe(2)
  })

  it('v2 needs a host, --url a URL, and one scheme: one line and exit 2', async () => {
    const noHost = await runCli(['sign', '--client-id', 'c', '--secret', 's', '--path', '/x'], env)
    expect(noHost.code).toBe(2)
    expect(expectOneLineError(noHost)).toBe(
      'gatekeeper: v2 signs the host: give --url (or --host), or --v1 for the original scheme',
    )
    const notUrl = await runCli(['sign', '--client-id', 'c', '--secret', 's', '--url', 'api.example.com/x'], env)
    expect(notUrl.code).toBe(2)
    expect(expectOneLineError(notUrl)).toMatch(/--url: "api.example.com\/x" is not an http\(s\) URL/)
    const twoSchemes = await runCli(['sign', '--v1', '--v2', '--client-id', 'c', '--secret', 's', '--path', '/x'], env)
    expect(twoSchemes.code).toBe(2)
    const missingFile = await runCli(
      ['sign', '--client-id', 'c', '--secret-file', '/nonexistent/secret', '--path', '/x'],
      env,
    )
    expect(missingFile.code).toBe(2)
    expect(expectOneLineError(missingFile)).toMatch(/cannot read \/nonexistent\/secret: ENOENT/)
  })
})

type V2Vector = {
  name: string
  secret: string
  clientId: string
  method: string
  url: string
  host: string
  target: string
  timestamp: number
  nonce: string
  body: string | null
  bodyBase64: string
  expected: { authorization: string; contentDigest: string }
}

const v2Vectors = (v2File as { vectors: V2Vector[] }).vectors

describe('sign: v2 is the default', () => {
  it.each(v2Vectors)('matches the crypto vector "$name", both headers in one run', async (v) => {
    const bodyFile = path.join(dir, `${v.nonce}-${v.name.length}.v2body`)
    writeFileSync(bodyFile, Buffer.from(v.bodyBase64, 'base64'))
    const pinned = ['--timestamp', String(v.timestamp), '--nonce', v.nonce, '--body-file', bodyFile]
    const args = ['sign', '--client-id', v.clientId, '--secret', v.secret, '--method', v.method, '--host', v.host]
    args.push('--path', v.target, ...pinned)
    const result = await runCli(args, env)
    expect(result.stderr).toBe('')
    expect(result.stdout).toBe(
      `Authorization: ${v.expected.authorization}\nContent-Digest: ${v.expected.contentDigest}\n`,
    )
    const only = await runCli([...args, '--only', 'authorization'], env)
    expect(only.stdout).toBe(`${v.expected.authorization}\n`)
    // The whole URL instead of host and path, and the old --v2 flag: the same headers.
    const byUrl = await runCli(
      [
        'sign',
        '--v2',
        '--client-id',
        v.clientId,
        '--secret',
        v.secret,
        '--method',
        v.method,
        '--url',
        v.url,
        ...pinned,
      ],
      env,
    )
    expect(byUrl.stdout).toBe(result.stdout)
  })

  it('--curl prints a command that sends exactly the signed request', async () => {
    const seen: Array<{ method?: string; url?: string; headers: Record<string, unknown>; body: Buffer }> = []
    const server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) })
        res.end('ok')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const port = (server.address() as AddressInfo).port
      const bodyFile = path.join(dir, 'order.json')
      writeFileSync(bodyFile, '{"sku":"A-1",\n "qty":2}\n')
      const url = `http://127.0.0.1:${port}/api/orders?dry_run=true&b=2`
      const signArgs = ['--client-id', 'c-9', '--secret', 'gks_curl', '--method', 'POST', '--body-file', bodyFile]
      const printed = await runCli(['sign', ...signArgs, '--curl', url, '--host', 'api.example.com'], env)
      expect(printed.code).toBe(0)
      expect(printed.stdout).toMatch(/^curl /)
      await run('bash', ['-c', printed.stdout], { env })

      const [got] = seen
      expect(got?.method).toBe('POST')
      expect(got?.url).toBe('/api/orders?dry_run=true&b=2')
      expect(got?.headers.host).toBe('api.example.com')
      expect(got?.body.toString()).toBe('{"sku":"A-1",\n "qty":2}\n')
      const authorization = String(got?.headers.authorization)
      const timestamp = Number(/timestamp="(\d+)"/.exec(authorization)?.[1])
      const nonce = /nonce="([^"]+)"/.exec(authorization)?.[1] ?? ''
      // What the server received, signed again with the same timestamp and nonce, gives the same headers.
      const expected = signRequestV2({
        clientId: 'c-9',
        secret: 'gks_curl',
        method: 'POST',
        url: `http://api.example.com${got?.url}`,
        body: got?.body ?? Buffer.alloc(0),
        timestamp,
        nonce,
      })
      expect(authorization).toBe(expected.authorization)
      expect(got?.headers['content-digest']).toBe(expected.contentDigest)

      // Behind nginx, authz has the headers and X-Original-* but never the body: the signature verifies on
      // those alone, and the upstream's check of the body it received against the signed digest passes.
      const parsed = parseHmacAuthorization(authorization)
      if (!parsed.ok) throw new Error('unparseable Authorization')
      const atAuthz = verifyV2Signature({
        secret: 'gks_curl',
        clientId: parsed.params.clientId,
        method: 'POST',
        host: String(got?.headers.host),
        rawPathAndQuery: got?.url ?? '',
        contentDigest: String(got?.headers['content-digest']),
        timestamp: parsed.params.timestamp,
        nonce: parsed.params.nonce,
        signature: parsed.params.signature,
        nowSeconds: Math.floor(Date.now() / 1000),
      })
      expect(atAuthz.ok).toBe(true)
      expect(verifyContentDigest(String(got?.headers['content-digest']), got?.body ?? Buffer.alloc(0)).ok).toBe(true)
    } finally {
      server.close()
    }
  })

  it('its header lines are what curl -H @- reads', async () => {
    const [v] = v2Vectors
    if (v === undefined) throw new Error('no vectors')
    const out = await runCli(
      ['sign', '--client-id', v.clientId, '--secret', v.secret, '--url', v.url, '--timestamp', '1', '--nonce', v.nonce],
      env,
    )
    expect(
      out.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(': ')[0]),
    ).toEqual(['Authorization', 'Content-Digest'])
  })
})
