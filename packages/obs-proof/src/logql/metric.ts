// The metric half of LogQL for the shipped dashboards' subset: count_over_time and rate over a log range,
// and sum / count / max / min / topk / bottomk with `by (...)` or `without (...)`.

import { child, children, durationSeconds, type ParsedLogql, parseLogql, type SyntaxNode, textOf } from './parse'
import { compileLogSelection, type LogEntry } from './select'

export interface Sample {
  labels: Record<string, string>
  value: number
}

export type InstantQuery = (entries: LogEntry[], atNs: bigint) => Sample[]

function key(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)))
}

function rangeAggregation(parsed: ParsedLogql, node: SyntaxNode): InstantQuery {
  const src = parsed.text
  const op = child(node, 'RangeOp')?.firstChild?.name
  const logRange = child(node, 'LogRangeExpr')
  const range = logRange === undefined ? undefined : child(logRange, 'Range')
  if (logRange === undefined || range === undefined)
    throw new Error(`unsupported range aggregation ${textOf(src, node)}`)
  if (op !== 'CountOverTime' && op !== 'Rate') throw new Error(`the stand-in does not support ${op ?? 'this range op'}`)
  const windowNs = BigInt(Math.round(durationSeconds(textOf(src, range).slice(1, -1)) * 1e9))
  const select = compileLogSelection(parsed, logRange)
  return (entries, atNs) => {
    const groups = new Map<string, Sample>()
    for (const e of select(entries.filter((x) => x.ts > atNs - windowNs && x.ts <= atNs))) {
      const k = key(e.labels)
      const g = groups.get(k) ?? { labels: e.labels, value: 0 }
      g.value++
      groups.set(k, g)
    }
    const seconds = Number(windowNs) / 1e9
    return [...groups.values()].map((s) => (op === 'Rate' ? { ...s, value: s.value / seconds } : s))
  }
}

function grouping(src: string, node: SyntaxNode): (labels: Record<string, string>) => Record<string, string> {
  const g = child(node, 'Grouping')
  if (g === undefined) return () => ({})
  const names = new Set<string>()
  const walk = (n: SyntaxNode) => {
    for (const c of children(n)) {
      if (c.name === 'Identifier') names.add(textOf(src, c))
      else walk(c)
    }
  }
  walk(g)
  if (child(g, 'Without') !== undefined) {
    return (labels) => Object.fromEntries(Object.entries(labels).filter(([k]) => !names.has(k)))
  }
  return (labels) => Object.fromEntries([...names].map((n) => [n, labels[n] ?? '']))
}

function vectorAggregation(parsed: ParsedLogql, node: SyntaxNode): InstantQuery {
  const src = parsed.text
  const op = child(node, 'VectorOp')?.firstChild?.name
  const inner = child(node, 'MetricExpr')
  if (inner === undefined) throw new Error(`unsupported aggregation ${textOf(src, node)}`)
  const innerQuery = metricExpr(parsed, inner)
  if (op === 'Topk' || op === 'Bottomk') {
    const k = Number(textOf(src, child(node, 'Number') ?? node))
    return (entries, at) => {
      const sorted = innerQuery(entries, at).sort((a, b) => (op === 'Topk' ? b.value - a.value : a.value - b.value))
      return sorted.slice(0, k)
    }
  }
  const reduce: Record<string, (values: number[]) => number> = {
    Sum: (v) => v.reduce((a, b) => a + b, 0),
    Count: (v) => v.length,
    Max: (v) => Math.max(...v),
    Min: (v) => Math.min(...v),
  }
  const fn = op === undefined ? undefined : reduce[op]
  if (fn === undefined) throw new Error(`the stand-in does not support the aggregation ${op ?? '?'}`)
  const project = grouping(src, node)
  return (entries, at) => {
    const groups = new Map<string, { labels: Record<string, string>; values: number[] }>()
    for (const s of innerQuery(entries, at)) {
      const labels = project(s.labels)
      const k = key(labels)
      const g = groups.get(k) ?? { labels, values: [] }
      g.values.push(s.value)
      groups.set(k, g)
    }
    return [...groups.values()].map((g) => ({ labels: g.labels, value: fn(g.values) }))
  }
}

function metricExpr(parsed: ParsedLogql, node: SyntaxNode): InstantQuery {
  const inner = node.firstChild
  if (inner?.name === 'RangeAggregationExpr') return rangeAggregation(parsed, inner)
  if (inner?.name === 'VectorAggregationExpr') return vectorAggregation(parsed, inner)
  throw new Error(`the stand-in does not support ${inner?.name ?? 'this expression'}`)
}

export type CompiledLogql =
  | { kind: 'logs'; select: (entries: LogEntry[]) => LogEntry[] }
  | { kind: 'metric'; at: InstantQuery }

export function compileLogql(text: string): CompiledLogql {
  const parsed = parseLogql(text)
  const expr = child(parsed.root, 'Expr')
  const top = expr?.firstChild
  if (top?.name === 'MetricExpr') return { kind: 'metric', at: metricExpr(parsed, top) }
  if (top?.name === 'LogExpr') return { kind: 'logs', select: compileLogSelection(parsed, top) }
  throw new Error(`unsupported LogQL: ${text}`)
}
