import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { REPO_ROOT } from '@gatekeeper/testkit/paths'
import ts from 'typescript'

// A static scan for secret comparisons that are not constant-time: every `===`, `!==`, `==` or `!=` whose
// operand names something secret-like, and every `.equals(` / `Buffer.compare(` / `.localeCompare(` on one.
// Comparisons with a literal, `undefined`/`null`, a `typeof` or a `.length` say nothing about a secret's value
// and are skipped; what remains is either a finding or on the allowlist (with the reason it is safe).

export { REPO_ROOT } from '@gatekeeper/testkit/paths'

/** Where secrets are compared: the crypto library and the two services that verify credentials. */
const SCANNED_DIRS = ['packages/crypto/src', 'packages/engine/src', 'apps/authz/src', 'apps/console-api/src']

const SENSITIVE = /(secret|signature|token|digest|password|passwd|api_?key|\bkey|hmac|\bmac\b|credential|nonce)/i

export interface Comparison {
  /** Repository-relative path. */
  file: string
  line: number
  /** The comparison's source text, whitespace collapsed. */
  text: string
  kind: 'operator' | 'method'
}

function sourceFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path))
    else if (/\.ts$/.test(name) && !/\.test\.ts$/.test(name) && !/\.d\.ts$/.test(name)) out.push(path)
  }
  return out
}

/** Code text of an expression with string literals and comments removed, so `'api_key'` does not count. */
function codeText(node: ts.Node, file: ts.SourceFile): string {
  let text = ''
  const visit = (n: ts.Node) => {
    if (ts.isStringLiteralLike(n) || ts.isTemplateLiteral(n) || ts.isRegularExpressionLiteral(n)) return
    if (n.getChildCount(file) === 0) text += `${n.getText(file)} `
    else n.forEachChild(visit)
  }
  visit(node)
  return text
}

function trivial(node: ts.Expression, file: ts.SourceFile): boolean {
  const e = ts.isParenthesizedExpression(node) ? node.expression : node
  if (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e) || ts.isTemplateExpression(e)) return true
  if (ts.isTypeOfExpression(e) || ts.isPrefixUnaryExpression(e)) return true
  if (e.kind === ts.SyntaxKind.NullKeyword || e.kind === ts.SyntaxKind.TrueKeyword) return true
  if (e.kind === ts.SyntaxKind.FalseKeyword) return true
  if (ts.isIdentifier(e) && (e.text === 'undefined' || /^[A-Z][A-Z0-9_]*$/.test(e.text))) return true
  if (ts.isPropertyAccessExpression(e) && (e.name.text === 'length' || e.name.text === 'size')) return true
  // A call's result is compared, not the call's arguments (`hexValue(c) < 0`, `x.indexOf(k) === -1`).
  if (ts.isCallExpression(e)) {
    const callee = e.expression.getText(file)
    if (/\b(indexOf|lastIndexOf|charCodeAt|codePointAt)$/.test(callee)) return true
  }
  return false
}

const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
])

export function scanFile(path: string): Comparison[] {
  const text = readFileSync(path, 'utf8')
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true)
  const found: Comparison[] = []
  const record = (node: ts.Node, kind: Comparison['kind']) => {
    const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1
    found.push({ file: relative(REPO_ROOT, path), line, text: node.getText(file).replace(/\s+/g, ' '), kind })
  }
  const visit = (node: ts.Node) => {
    if (ts.isBinaryExpression(node) && EQUALITY.has(node.operatorToken.kind)) {
      const sides = [node.left, node.right]
      if (!sides.some((side) => trivial(side, file)) && sides.some((side) => SENSITIVE.test(codeText(side, file)))) {
        record(node, 'operator')
      }
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text
      const target = node.expression.expression
      const operands = [target, ...node.arguments]
      const isBufferCompare = method === 'compare' && target.getText(file) === 'Buffer'
      if (
        (method === 'equals' || method === 'localeCompare' || isBufferCompare) &&
        operands.some((o) => SENSITIVE.test(codeText(o, file)))
      ) {
        record(node, 'method')
      }
    }
    node.forEachChild(visit)
  }
  visit(file)
  return found
}

export function scanRepository(dirs: readonly string[] = SCANNED_DIRS): Comparison[] {
  return dirs.flatMap((dir) => sourceFiles(resolve(REPO_ROOT, dir)).flatMap(scanFile))
}
