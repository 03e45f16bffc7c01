import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import ts from 'typescript'
import { afterAll, describe, expect, it } from 'vitest'
import { ALLOWED_COMPARISONS } from './constant-time-allowlist'
import { REPO_ROOT, scanFile, scanRepository } from './scan-comparisons'

// Every secret comparison in packages/crypto, packages/engine, apps/authz and apps/console-api is constant-time: the scan finds
// no `===`/`!==`/`.equals()` on a secret-like operand outside the allowlist, and the functions that verify
// signatures and digests compare through timingSafeEqual/safeEqual.

const key = (c: { file: string; text: string }) => `${c.file}: ${c.text}`

describe('the constant-time scan', () => {
  const found = scanRepository()

  it('finds no secret comparison outside the allowlist', () => {
    const allowed = new Set(ALLOWED_COMPARISONS.map(key))
    const unexpected = found.filter((c) => !allowed.has(key(c))).map((c) => `${c.file}:${c.line}  ${c.text}`)
    expect(unexpected).toEqual([])
  })

  it('has no stale allowlist entry', () => {
    const present = new Set(found.map(key))
    expect(ALLOWED_COMPARISONS.filter((a) => !present.has(key(a))).map(key)).toEqual([])
    for (const entry of ALLOWED_COMPARISONS) expect(entry.reason.length).toBeGreaterThan(20)
  })

  describe('catches what it is for (a planted file)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gk-ct-'))
    afterAll(() => rmSync(dir, { recursive: true, force: true }))
    const planted = join(dir, 'planted.ts')
    writeFileSync(
      planted,
      [
        'export function bad(signature: string, expected: string, token: Buffer, stored: Buffer, apiKey: string) {',
        '  if (signature === expected) return 1',
        '  if (stored.equals(token)) return 2',
        '  if (Buffer.compare(token, stored) === 0) return 3',
        '  if (apiKey != process.env.ADMIN) return 4',
        '  if (typeof token === "string" || signature === undefined || apiKey.length !== 52) return 5',
        "  if (signature === 'fixed') return 6",
        '}',
      ].join('\n'),
    )
    const hits = scanFile(planted).map((c) => c.text)

    it('flags equality and Buffer comparisons on secret-like operands', () => {
      expect(hits).toEqual([
        'signature === expected',
        'stored.equals(token)',
        'Buffer.compare(token, stored)',
        'apiKey != process.env.ADMIN',
      ])
    })
  })
})

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(resolve(REPO_ROOT, file), 'utf8'), ts.ScriptTarget.ES2022, true)
}

/** The name a call goes to: `f(...)` and `x.f(...)` both call `f`. */
function calleeName(call: ts.CallExpression): string | undefined {
  const callee = call.expression
  if (ts.isIdentifier(callee)) return callee.text
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text
  return undefined
}

/** Every function name called in a file, and every identifier it mentions (imports, shorthand properties, calls). */
function usage(file: string): { calls: Set<string>; names: Set<string> } {
  const calls = new Set<string>()
  const names = new Set<string>()
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) {
      const name = calleeName(node)
      if (name !== undefined) calls.add(name)
    }
    if (ts.isIdentifier(node)) names.add(node.text)
    ts.forEachChild(node, visit)
  }
  visit(parse(file))
  return { calls, names }
}

/** Names of functions (declared or assigned) whose bodies call timingSafeEqual or safeEqual. */
function constantTimeFunctions(file: string): Set<string> {
  const source = parse(file)
  const names = new Set<string>()
  const callsConstantTime = (node: ts.Node): boolean => {
    if (ts.isCallExpression(node) && /^(timingSafeEqual|safeEqual)$/.test(calleeName(node) ?? '')) return true
    return ts.forEachChild(node, callsConstantTime) ?? false
  }
  const visit = (node: ts.Node) => {
    if (ts.isFunctionDeclaration(node) && node.name !== undefined && callsConstantTime(node)) names.add(node.name.text)
    ts.forEachChild(node, visit)
  }
  visit(source)
  return names
}

describe('the verifiers compare in constant time', () => {
  it.each([
    ['packages/crypto/src/hmac.ts', 'verifyV1Signature'],
    ['packages/crypto/src/hmac.ts', 'matchesHmacSha256'],
    ['packages/crypto/src/webhook.ts', 'verifyAegisWebhook'],
    ['packages/signer/src/content-digest.ts', 'verifyContentDigest'],
    ['packages/crypto/src/safe-equal.ts', 'safeEqual'],
  ])('%s: %s', (file, fn) => {
    expect([...constantTimeFunctions(file)]).toContain(fn)
  })

  it('authz verifies HMAC signatures only through those functions', () => {
    // The server wires the crypto library's verifiers into the engine; the engine calls them.
    const server = usage('apps/authz/src/server.ts').names
    expect(server).toContain('verifyV1Signature')
    expect(server).toContain('matchesV2Signature')
    expect(usage('packages/engine/src/hmac-verify.ts').calls).toContain('verifyV1Signature')
    expect(usage('packages/engine/src/hmac-v2-verify.ts').calls).toContain('matchesV2Signature')
    // v2's check is the shared HMAC comparison above, over its canonical message.
    expect(usage('packages/crypto/src/hmac-v2.ts').calls).toContain('matchesHmacSha256')
  })

  it('console-api verifies webhook signatures only through verifyAegisWebhook', () => {
    const webhooks = usage('apps/console-api/src/routes/webhooks.ts')
    expect(webhooks.calls).toContain('verifyAegisWebhook')
    expect(webhooks.names).not.toContain('createHmac')
  })

  it('the syntax-tree reading sees calls and names, not text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gk-ct-usage-'))
    try {
      const file = join(dir, 'f.ts')
      writeFileSync(
        file,
        "// verifyAegisWebhook(x)\nconst s = 'createHmac'\nexport const ok = crypto.verifyV1Signature(1)\n",
      )
      const seen = usage(file)
      expect([...seen.calls]).toEqual(['verifyV1Signature'])
      expect(seen.names.has('createHmac')).toBe(false)
      expect(seen.names.has('verifyAegisWebhook')).toBe(false)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
