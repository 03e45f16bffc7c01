// Breaking a shipped config on purpose: remove or replace one directive inside one block, and insist it was there,
// so a load-bearing test can never pass because the text it meant to break has moved.

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

function lineOf(text: string, header: string, directive: string): { start: number; end: number; indent: string } {
  const block = blockRange(text, header)
  const at = text.indexOf(directive, block.start)
  if (at < 0 || at > block.end) throw new Error(`\`${directive}\` is not in \`${header}\``)
  const start = text.lastIndexOf('\n', at) + 1
  return { start, end: text.indexOf('\n', at) + 1, indent: text.slice(start, at) }
}

/** `text` without the line holding `directive` (exact text, e.g. `keepalive 32;`) inside the block `header`. */
export function withoutDirective(text: string, header: string, directive: string): string {
  const line = lineOf(text, header, directive)
  return text.slice(0, line.start) + text.slice(line.end)
}

/** `text` with the line holding `directive` inside the block `header` replaced by `replacement`. */
export function replaceDirective(text: string, header: string, directive: string, replacement: string): string {
  const line = lineOf(text, header, directive)
  return `${text.slice(0, line.start)}${line.indent}${replacement}\n${text.slice(line.end)}`
}
