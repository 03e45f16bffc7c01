// The openssl + curl recipes in README.md and docs/hmac-signing.md are run as written (with `curl` replaced by a
// function that prints its arguments), and the request they would send must verify as v2.

import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parseHmacAuthorization } from '../src/hmac-header'
import { verifyV2Signature } from '../src/hmac-v2'

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))

function shellBlockAfter(file: string, heading: string): string {
  const text = readFileSync(`${repoRoot}${file}`, 'utf8')
  const section = text.slice(text.indexOf(heading))
  const match = /```sh\n([\s\S]*?)```/.exec(section)
  if (match?.[1] === undefined) throw new Error(`no sh block after ${heading} in ${file}`)
  return match[1]
}

const TAKES_VALUE = new Set(['-X', '--data-binary', '-H'])

type Sent = { method: string; url: URL; body: string; headers: Map<string, string> }

function run(block: string): Sent {
  const script = `curl() { printf '%s\\0' "$@"; }\n${block}`
  const result = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`the example failed:\n${result.stderr}`)
  const args = result.stdout.split('\0').slice(0, -1)
  const sent: Sent = { method: 'GET', url: new URL('http://unset.invalid'), body: '', headers: new Map() }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? ''
    if (arg.startsWith('https://')) sent.url = new URL(arg)
    if (!TAKES_VALUE.has(arg)) continue
    const value = args[++i] ?? ''
    if (arg === '-X') sent.method = value
    else if (arg === '--data-binary') sent.body = value
    else sent.headers.set(value.slice(0, value.indexOf(':')).toLowerCase(), value.slice(value.indexOf(':') + 1).trim())
  }
  return sent
}

function verifies(sent: Sent): boolean {
  const parsed = parseHmacAuthorization(sent.headers.get('authorization') ?? '')
  if (!parsed.ok) return false
  return verifyV2Signature({
    secret: 'gks_your-shared-secret',
    clientId: parsed.params.clientId,
    method: sent.method,
    host: sent.url.host,
    rawPathAndQuery: sent.url.pathname + sent.url.search,
    contentDigest: sent.headers.get('content-digest'),
    timestamp: parsed.params.timestamp,
    nonce: parsed.params.nonce,
    signature: parsed.params.signature,
    body: sent.body,
    nowSeconds: Math.floor(Date.now() / 1000),
  }).ok
}

describe('shell signing examples', () => {
  it.each([
    ['README.md', '## Signing a request'],
    ['docs/hmac-signing.md', '### curl'],
  ])('%s sends a request that verifies', (file, heading) => {
    const sent = run(shellBlockAfter(file, heading))
    expect(sent.method).toBe('POST')
    expect(sent.body).toContain('"sku"')
    expect(verifies(sent)).toBe(true)
    expect(verifies({ ...sent, body: `${sent.body} ` })).toBe(false)
  })
})
