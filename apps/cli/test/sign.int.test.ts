import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseHmacAuthorization, verifyV1Signature } from '@gatekeeper/crypto'
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

const vectors = (
  JSON.parse(
    readFileSync(
      fileURLToPath(new URL('../../../packages/crypto/test/fixtures/hmac-v1-vectors.json', import.meta.url)),
      'utf8',
    ),
  ) as { vectors: Vector[] }
).vectors

/** Bodies that survive being a command-line argument (the binary one goes through --body-file only). */
const textVectors = vectors.filter(
  (v) => v.body !== null && Buffer.from(v.body, 'utf8').toString('base64') === v.bodyBase64,
)

// No database is involved: sign is pure, but it is still the built CLI under plain node.
const env = cliEnv(undefined)
const dir = mkdtempSync(path.join(tmpdir(), 'gk-sign-'))

describe('sign', () => {
  it.each(textVectors)('matches the crypto vector "$name" (body as an argument)', async (v) => {
    const args = ['sign', '--client-id', v.clientId, '--secret', v.secret, '--method', v.method, '--path', v.path]
    args.push('--timestamp', String(v.timestamp), '--nonce', v.nonce)
    if (v.body) args.push('--body', v.body)
    const result = await runCli(args, env)
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`${v.expectedAuthorization}\n`)
  })

  it.each(vectors)(
    'matches "$name" with the secret from a file or the environment and the body from a file',
    async (v) => {
      const secretFile = path.join(dir, `${v.nonce}.secret`)
      const bodyFile = path.join(dir, `${v.nonce}.body`)
      writeFileSync(secretFile, `${v.secret}\n`)
      writeFileSync(bodyFile, Buffer.from(v.bodyBase64, 'base64'))
      const common = [
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
      ['sign', '--client-id', 'c-1', '--secret', 'gks_abc', '--path', '/x'],
      env,
    )
    expect(second.nonce).not.toBe(out.nonce)
  })

  it('--curl prints a complete command, taking the path from the URL', async () => {
    const [v] = vectors
    if (v === undefined) throw new Error('no vectors')
    const result = await runCli(
      [
        'sign',
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
      ['sign', '--client-id', 'c', '--secret', 's', '--path', '/x', '--nonce', 'short'],
      env,
    )
    expect(badNonce.code).toBe(2)
    expect(expectOneLineError(badNonce)).toMatch(/nonce must be 8\.\.128 chars/)
    const unsetVar = await runCli(['sign', '--client-id', 'c', '--secret-env', 'NOPE_NOT_SET', '--path', '/x'], env)
    expect(unsetVar.code).toBe(2)
    expect(expectOneLineError(unsetVar)).toBe('gatekeeper: --secret-env: NOPE_NOT_SET is not set')
    const both = await runCli(['sign', '--client-id', 'c', '--secret', 's', '--secret-env', 'X', '--path', '/x'], env)
    expect(both.code).toBe(2)
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

const v2Vectors = (
  JSON.parse(
    readFileSync(
      fileURLToPath(new URL('../../../packages/crypto/test/fixtures/hmac-v2-vectors.json', import.meta.url)),
      'utf8',
    ),
  ) as { vectors: V2Vector[] }
).vectors

describe('sign --v2', () => {
  it.each(v2Vectors)('matches the crypto vector "$name"', async (v) => {
    const bodyFile = path.join(dir, `${v.nonce}-${v.name.length}.v2body`)
    writeFileSync(bodyFile, Buffer.from(v.bodyBase64, 'base64'))
    const args = [
      'sign',
      '--v2',
      '--client-id',
      v.clientId,
      '--secret',
      v.secret,
      '--method',
      v.method,
      '--host',
      v.host,
    ]
    args.push('--path', v.target, '--timestamp', String(v.timestamp), '--nonce', v.nonce, '--body-file', bodyFile)
    const result = await runCli(args, env)
    expect(result.stderr).toBe('')
    expect(result.stdout).toBe(
      `Authorization: ${v.expected.authorization}\nContent-Digest: ${v.expected.contentDigest}\n`,
    )
    const only = await runCli([...args, '--only', 'authorization'], env)
    expect(only.stdout).toBe(`${v.expected.authorization}\n`)
  })

  it('--curl carries both headers; without a host v2 cannot sign', async () => {
    const [v] = v2Vectors
    if (v === undefined) throw new Error('no vectors')
    const curl = await runCli(
      [
        'sign',
        '--v2',
        '--client-id',
        v.clientId,
        '--secret',
        v.secret,
        '--timestamp',
        String(v.timestamp),
        '--nonce',
        v.nonce,
        '--curl',
        v.url,
      ],
      env,
    )
    expect(curl.stdout).toContain(`-H 'Authorization: ${v.expected.authorization}'`)
    expect(curl.stdout).toContain(`-H 'Content-Digest: ${v.expected.contentDigest}'`)
    const noHost = await runCli(['sign', '--v2', '--client-id', 'c', '--secret', 's', '--path', '/x'], env)
    expect(noHost.code).toBe(2)
    expect(expectOneLineError(noHost)).toMatch(/--v2 needs --host/)
  })
})
