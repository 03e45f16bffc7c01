// The log half of LogQL, for the subset the shipped dashboards use: stream selectors (= != =~ !~), line
// filters (|= != |~ !~), the json parser and string label filters. Anything else is refused by name, so a
// dashboard query outside the subset fails the proof instead of passing untested.

import { child, children, type ParsedLogql, type SyntaxNode, stringValue, textOf } from './parse'

export interface LogEntry {
  /** nanoseconds since the epoch */
  ts: bigint
  line: string
  labels: Record<string, string>
}

export type Predicate = (value: string) => boolean

function matcher(src: string, node: SyntaxNode): { name: string; test: Predicate } {
  const [ident, op, str] = children(node)
  if (ident === undefined || op === undefined || str === undefined) throw new Error(`bad matcher ${textOf(src, node)}`)
  const value = stringValue(src, str)
  const name = textOf(src, ident)
  switch (op.name) {
    case 'Eq':
      return { name, test: (v) => v === value }
    case 'Neq':
      return { name, test: (v) => v !== value }
    case 'Re': {
      const re = new RegExp(`^(?:${value})$`)
      return { name, test: (v) => re.test(v) }
    }
    case 'Nre': {
      const re = new RegExp(`^(?:${value})$`)
      return { name, test: (v) => !re.test(v) }
    }
    default:
      throw new Error(`unsupported matcher operator ${op.name}`)
  }
}

function collect(node: SyntaxNode, name: string, out: SyntaxNode[] = []): SyntaxNode[] {
  for (const c of children(node)) {
    if (c.name === name) out.push(c)
    else collect(c, name, out)
  }
  return out
}

/** Flattens a JSON object the way Loki's json parser does: nested keys joined with `_`. */
function jsonLabels(line: string): Record<string, string> {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return { __error__: 'JSONParserErr' }
  }
  const out: Record<string, string> = {}
  const walk = (prefix: string, v: unknown) => {
    if (v === null || v === undefined) return
    if (typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, inner] of Object.entries(v)) walk(prefix === '' ? k : `${prefix}_${k}`, inner)
    } else if (typeof v !== 'object') {
      out[prefix.replace(/[^A-Za-z0-9_]/g, '_')] = String(v)
    }
  }
  walk('', value)
  return out
}

type Stage = (entry: LogEntry) => LogEntry | undefined

function lineFilter(src: string, node: SyntaxNode): Stage {
  const filter = child(node, 'Filter')
  const str = child(node, 'String')
  if (filter === undefined || str === undefined || filter.firstChild === null) {
    throw new Error(`unsupported line filter ${textOf(src, node)}`)
  }
  const value = stringValue(src, str)
  const op = filter.firstChild.name
  const re = op === 'PipeMatch' || op === 'Nre' ? new RegExp(value) : undefined
  const keep: Predicate =
    op === 'PipeExact'
      ? (l) => l.includes(value)
      : op === 'Neq'
        ? (l) => !l.includes(value)
        : op === 'PipeMatch'
          ? (l) => re?.test(l) === true
          : (l) => re?.test(l) === false
  return (e) => (keep(e.line) ? e : undefined)
}

function stage(src: string, node: SyntaxNode): Stage[] {
  const lineFilters = collect(node, 'LineFilter')
  if (lineFilters.length > 0) return lineFilters.map((f) => lineFilter(src, f))
  const parserNode = child(node, 'LabelParser')
  if (parserNode !== undefined) {
    if (child(parserNode, 'Json') === undefined || textOf(src, parserNode).trim() !== 'json') {
      throw new Error(`the stand-in supports only "| json", not "${textOf(src, parserNode)}"`)
    }
    return [(e) => ({ ...e, labels: { ...jsonLabels(e.line), ...e.labels } })]
  }
  const labelFilter = child(node, 'LabelFilter')
  const m = labelFilter === undefined ? undefined : child(labelFilter, 'Matcher')
  if (m !== undefined && labelFilter !== undefined && children(labelFilter).length === 1) {
    const { name, test } = matcher(src, m)
    return [(e) => (test(e.labels[name] ?? '') ? e : undefined)]
  }
  throw new Error(`the stand-in does not support the pipeline stage "${textOf(src, node)}"`)
}

/** A log query (selector + pipeline) compiled to a function over stored entries. */
export function compileLogSelection(parsed: ParsedLogql, node: SyntaxNode): (entries: LogEntry[]) => LogEntry[] {
  const src = parsed.text
  const selector = collect(node, 'Selector')[0]
  if (selector === undefined) throw new Error('no stream selector')
  const streamMatchers = collect(selector, 'Matcher').map((m) => matcher(src, m))
  const stages = collect(node, 'PipelineStage').flatMap((s) => stage(src, s))
  return (entries) => {
    const out: LogEntry[] = []
    for (const entry of entries) {
      if (!streamMatchers.every((m) => m.test(entry.labels[m.name] ?? ''))) continue
      let current: LogEntry | undefined = entry
      for (const s of stages) {
        current = s(current)
        if (current === undefined) break
      }
      if (current !== undefined) out.push(current)
    }
    return out
  }
}
