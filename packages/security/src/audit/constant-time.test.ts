import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import ts from 'typescript'
import { afterAll, describe, expect, it } from 'vitest'
import { ALLOWED_COMPARISONS } from './constant-time-allowlist'
import { REPO_ROOT, scanFile, scanRepository } from './scan-comparisons'

// Every secret comparison in packages/crypto, apps/authz and apps/console-api is constant-time: the scan finds
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

/** Names of functions (declared or assigned) whose bodies call timingSafeEqual or safeEqual. */
function constantTimeFunctions(file: string): Set<string> {
  const source = ts.createSourceFile(file, readFileSync(resolve(REPO_ROOT, file), 'utf8'), ts.ScriptTarget.ES2022, true)
  const names = new Set<string>()
  const callsConstantTime = (node: ts.Node): boolean => {
    if (ts.isCallExpression(node) && /^(timingSafeEqual|safeEqual)$/.test(node.expression.getText(source))) return true
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
    ['packages/crypto/src/hmac-v2.ts', 'matchesV2Signature'],
    ['packages/crypto/src/webhook.ts', 'verifyAegisWebhook'],
    ['packages/signer/src/content-digest.ts', 'verifyContentDigest'],
    ['packages/crypto/src/safe-equal.ts', 'safeEqual'],
  ])('%s: %s', (file, fn) => {
    expect([...constantTimeFunctions(file)]).toContain(fn)
  })

  it('authz verifies HMAC signatures only through those functions', () => {
    const server = readFileSync(resolve(REPO_ROOT, 'apps/authz/src/server.ts'), 'utf8')
    expect(server).toMatch(/verifyV1Signature,/)
    expect(server).toMatch(/matchesV2Signature,/)
    const engine = ['hmac-verify.ts', 'hmac-v2-verify.ts'].map((f) =>
      readFileSync(resolve(REPO_ROOT, 'apps/authz/src/engine', f), 'utf8'),
    )
    expect(engine[0]).toMatch(/crypto\.verifyV1Signature\(/)
    expect(engine[1]).toMatch(/matchesV2Signature\(/)
  })

  it('console-api verifies webhook signatures only through verifyAegisWebhook', () => {
    const webhooks = readFileSync(resolve(REPO_ROOT, 'apps/console-api/src/routes/webhooks.ts'), 'utf8')
    expect(webhooks).toMatch(/verifyAegisWebhook\(/)
    expect(webhooks).not.toMatch(/createHmac/)
  })
})
