// Breaking a shipped config on purpose: remove one directive inside one block, and insist it was there, so a
// load-bearing test can never pass because the text it meant to break has moved.

function blockRange(text: string, header: string): { start: number; end: number } {
  const start = text.indexOf(header)
  if (start < 0) throw new Error(`block not found: ${header}`)
  let depth = 0
  for (let i = text.indexOf('{', start); i < text.length; i++) {
    if (text[i] === '{') depth++
    else if (text[i] === '}') {
      depth--
      if (depth === 0) return { start, end: i }
    }
  }
  throw new Error(`block not closed: ${header}`)
}

/** `text` without the line holding `directive` (exact text, e.g. `keepalive 32;`) inside the block `header`. */
export function withoutDirective(text: string, header: string, directive: string): string {
  const { start, end } = blockRange(text, header)
  const at = text.indexOf(directive, start)
  if (at < 0 || at > end) throw new Error(`\`${directive}\` is not in \`${header}\``)
  const lineStart = text.lastIndexOf('\n', at) + 1
  const lineEnd = text.indexOf('\n', at)
  return text.slice(0, lineStart) + text.slice(lineEnd + 1)
}
