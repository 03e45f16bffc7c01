// LogQL parsed with Grafana's own grammar (@grafana/lezer-logql, the parser behind Grafana's Loki query
// editor). parseLogql() rejects anything the grammar does not accept.

import { parser } from '@grafana/lezer-logql'

type Tree = ReturnType<typeof parser.parse>
export type SyntaxNode = Tree['topNode']

export interface ParsedLogql {
  text: string
  root: SyntaxNode
}

export function parseLogql(text: string): ParsedLogql {
  const tree = parser.parse(text)
  const errors: number[] = []
  tree.iterate({
    enter(node) {
      if (node.type.isError) errors.push(node.from)
    },
  })
  if (errors.length > 0) {
    const at = errors[0] ?? 0
    throw new Error(`LogQL syntax error at ${at}: ${JSON.stringify(text.slice(Math.max(0, at - 20), at + 20))}`)
  }
  return { text, root: tree.topNode }
}

export function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = []
  for (let child = node.firstChild; child !== null; child = child.nextSibling) out.push(child)
  return out
}

export function child(node: SyntaxNode, name: string): SyntaxNode | undefined {
  return children(node).find((c) => c.name === name)
}

export function textOf(source: string, node: SyntaxNode): string {
  return source.slice(node.from, node.to)
}

/** A LogQL string literal: double-quoted with escapes, or backtick raw. */
export function stringValue(source: string, node: SyntaxNode): string {
  const raw = textOf(source, node)
  if (raw.startsWith('`')) return raw.slice(1, -1)
  return JSON.parse(raw) as string
}

export function durationSeconds(text: string): number {
  let total = 0
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g
  let consumed = 0
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const unit = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 }[m[2] as string] ?? 0
    total += Number(m[1]) * unit
    consumed += m[0].length
  }
  if (consumed !== text.length || total === 0) throw new Error(`bad duration ${text}`)
  return total
}
