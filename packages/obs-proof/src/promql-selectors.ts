// Finds the vector selectors (metric name plus matchers) inside a PromQL expression, without a full parser:
// a small tokenizer that knows which identifiers are functions, aggregations, keywords or grouping labels.
// Used to check that every series an alert depends on exists, for alerts whose condition must stay false.

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'atan2', 'inf', 'nan'])
const GROUPING = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right'])

type Token =
  | { kind: 'ident'; text: string; start: number }
  | { kind: 'brace'; text: string; start: number; end: number }
  | { kind: 'punct'; text: string; start: number }

function tokenize(expr: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < expr.length) {
    const ch = expr.charAt(i)
    if (/\s/.test(ch)) {
      i++
    } else if (ch === '#') {
      while (i < expr.length && expr.charAt(i) !== '\n') i++
    } else if (ch === '"' || ch === "'" || ch === '`') {
      i = skipString(expr, i)
    } else if (ch === '{') {
      const end = skipBraces(expr, i)
      tokens.push({ kind: 'brace', text: expr.slice(i, end), start: i, end })
      i = end
    } else if (ch === '[') {
      while (i < expr.length && expr.charAt(i) !== ']') i++
      i++
    } else if (/[A-Za-z_:]/.test(ch)) {
      const start = i
      while (i < expr.length && /[A-Za-z0-9_:]/.test(expr.charAt(i))) i++
      tokens.push({ kind: 'ident', text: expr.slice(start, i), start })
    } else if (/[0-9.]/.test(ch)) {
      i++
      while (i < expr.length && (/[0-9.eE]/.test(expr.charAt(i)) || isExponentSign(expr, i))) i++
      while (i < expr.length && /[A-Za-z]/.test(expr.charAt(i))) i++ // a duration unit (offset 5m)
    } else {
      tokens.push({ kind: 'punct', text: ch, start: i })
      i++
    }
  }
  return tokens
}

function isExponentSign(expr: string, i: number): boolean {
  return /[+-]/.test(expr.charAt(i)) && /[eE]/.test(expr.charAt(i - 1))
}

function skipString(expr: string, start: number): number {
  const quote = expr.charAt(start)
  let i = start + 1
  while (i < expr.length && expr.charAt(i) !== quote) {
    if (expr.charAt(i) === '\\' && quote !== '`') i++
    i++
  }
  return i + 1
}

function skipBraces(expr: string, start: number): number {
  let i = start + 1
  while (i < expr.length && expr.charAt(i) !== '}') {
    const ch = expr.charAt(i)
    i = ch === '"' || ch === "'" || ch === '`' ? skipString(expr, i) : i + 1
  }
  return i + 1
}

/** Vector selectors in order of appearance, e.g. `up{job="x"}`, `gatekeeper_authz_ready`. */
export function vectorSelectors(expr: string): string[] {
  const tokens = tokenize(expr)
  const out: string[] = []
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]
    if (token === undefined) continue
    const next = tokens[i + 1]
    if (token.kind === 'ident') {
      if (GROUPING.has(token.text)) {
        // skip the label list that follows: by (a, b)
        if (next?.kind === 'punct' && next.text === '(') {
          let j = i + 2
          while (j < tokens.length && !(tokens[j]?.kind === 'punct' && tokens[j]?.text === ')')) j++
          i = j
        }
        continue
      }
      if (KEYWORDS.has(token.text.toLowerCase())) continue
      if (next?.kind === 'punct' && next.text === '(') continue // function or aggregation
      if (next?.kind === 'ident' && GROUPING.has(next.text)) continue // sum by (le) (...)
      out.push(next?.kind === 'brace' ? `${token.text}${next.text}` : token.text)
      if (next?.kind === 'brace') i++
    } else if (token.kind === 'brace') {
      out.push(token.text)
    }
  }
  return out
}
