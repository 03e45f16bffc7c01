import type { Writable } from 'node:stream'

export type OutputStream = Writable & { isTTY?: boolean; columns?: number }
export type Streams = { stdout: OutputStream; stderr: OutputStream }

type Paint = (text: string) => string

export type Style = { bold: Paint; dim: Paint; red: Paint; green: Paint; yellow: Paint; cyan: Paint }

function ansi(open: number, close: number): Paint {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`
}

const COLOR: Style = {
  bold: ansi(1, 22),
  dim: ansi(2, 22),
  red: ansi(31, 39),
  green: ansi(32, 39),
  yellow: ansi(33, 39),
  cyan: ansi(36, 39),
}
const same: Paint = (text) => text
const PLAIN: Style = { bold: same, dim: same, red: same, green: same, yellow: same, cyan: same }

/** How a list command shows its items: the table's headers and rows, and the line when there are none. */
export type ListView<T> = { empty: string; headers: ReadonlyArray<string>; row: (item: T) => ReadonlyArray<string> }

/**
 * Everything a command prints goes through here: results on stdout (JSON for `--json`, text otherwise),
 * warnings and progress on stderr, so `--json` output is always exactly one JSON document.
 */
export class Output {
  readonly style: Style
  private readonly streams: Streams

  constructor(streams: Streams, opts: { color: boolean }) {
    this.streams = streams
    this.style = opts.color ? COLOR : PLAIN
  }

  json(value: unknown): void {
    this.streams.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
  }

  line(text = ''): void {
    this.streams.stdout.write(`${text}\n`)
  }

  success(text: string): void {
    this.line(`${this.style.green('✔')} ${text}`)
  }

  /** Progress and notes that are not the command's result. */
  note(text: string): void {
    this.streams.stderr.write(`${text}\n`)
  }

  warn(text: string): void {
    this.streams.stderr.write(`${this.style.yellow('warning:')} ${text}\n`)
  }

  /** Aligned columns; the header row is dimmed. */
  table(headers: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): void {
    const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
    const format = (cells: ReadonlyArray<string>) =>
      cells
        .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd()
    this.line(this.style.dim(format(headers)))
    for (const row of rows) this.line(format(row))
  }

  /**
   * What a list command prints: the items as one JSON array with `--json`, else a table of them, or `empty`
   * when there are none.
   */
  list<T>(items: ReadonlyArray<T>, opts: { json?: boolean }, view: ListView<T>): void {
    if (opts.json) this.json(items)
    else if (items.length === 0) this.line(view.empty)
    else this.table(view.headers, items.map(view.row))
  }

  /** Label/value pairs, labels aligned. */
  fields(pairs: ReadonlyArray<readonly [string, string]>): void {
    const width = Math.max(...pairs.map(([label]) => label.length))
    for (const [label, value] of pairs) this.line(`${this.style.dim(`${label}:`.padEnd(width + 1))} ${value}`)
  }

  /**
   * Raw credentials, the only time they are ever shown: boxed so they stand out, each on a line of its
   * own (copyable), followed by the warning that they cannot be shown again.
   */
  credentials(title: string, entries: ReadonlyArray<readonly [string, string]>, warning: string): void {
    const labelWidth = Math.max(...entries.map(([label]) => label.length))
    const body = [...entries.map(([label, value]) => `${label.padEnd(labelWidth)}  ${value}`), '', `! ${warning}`]
    const width = Math.max(title.length + 2, ...body.map((l) => l.length))
    const { yellow, bold } = this.style
    this.line(yellow(`┌─ ${bold(title)} ${'─'.repeat(Math.max(0, width - title.length - 1))}┐`))
    for (const l of body) this.line(`${yellow('│')} ${l.padEnd(width)} ${yellow('│')}`)
    this.line(yellow(`└${'─'.repeat(width + 2)}┘`))
  }
}

/** Epoch seconds as `2024-05-01 12:00:00Z`. */
export function formatTime(epochSeconds: number): string {
  return `${new Date(epochSeconds * 1000).toISOString().slice(0, 19).replace('T', ' ')}Z`
}
