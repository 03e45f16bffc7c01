// Reads the fenced blocks docs/getting-started.md marks for its test. A block is marked by the HTML comment
// `<!-- getting-started-test: KIND -->` on the line before its opening fence (GitHub shows nothing of it):
//   run           a `sh` block the test runs, in order, in one bash session
//   output        a `text` block: what the `run` block before it prints
//   start output  a `text` block: what `pnpm start` prints
//   nginx         the `nginx` block the test loads into a real nginx

export type GuideBlockKind = 'run' | 'output' | 'start output' | 'nginx'

export type GuideBlock = { kind: GuideBlockKind; lang: string; text: string; line: number }

export type GuideStep = { script: string; expected?: string; line: number }

const KINDS: ReadonlyArray<GuideBlockKind> = ['run', 'output', 'start output', 'nginx']

export function guideBlocks(markdown: string): GuideBlock[] {
  const lines = markdown.split('\n')
  const blocks: GuideBlock[] = []
  for (let i = 0; i < lines.length; i++) {
    const marker = /^<!-- getting-started-test: (.+?) -->$/.exec(lines[i] ?? '')
    if (marker === null) continue
    const kind = marker[1] as GuideBlockKind
    if (!KINDS.includes(kind)) throw new Error(`line ${i + 1}: unknown getting-started-test kind "${marker[1]}"`)
    const fence = /^```(\w+)$/.exec(lines[i + 1] ?? '')
    if (fence === null) throw new Error(`line ${i + 1}: a getting-started-test marker must precede a fenced block`)
    const end = lines.indexOf('```', i + 2)
    if (end < 0) throw new Error(`line ${i + 2}: unterminated block`)
    blocks.push({ kind, lang: fence[1] ?? '', text: lines.slice(i + 2, end).join('\n'), line: i + 2 })
    i = end
  }
  return blocks
}

/** The `run` blocks in order, each with the `output` block that follows it (if any). */
export function guideSteps(blocks: ReadonlyArray<GuideBlock>): GuideStep[] {
  const steps: GuideStep[] = []
  for (const block of blocks) {
    if (block.kind === 'run') {
      if (block.lang !== 'sh') throw new Error(`line ${block.line}: a run block must be sh, not ${block.lang}`)
      steps.push({ script: block.text, line: block.line })
    } else if (block.kind === 'output') {
      const last = steps.at(-1)
      if (last === undefined || last.expected !== undefined) {
        throw new Error(`line ${block.line}: an output block must follow a run block`)
      }
      last.expected = block.text
    }
  }
  return steps
}

/**
 * Whether `actual` shows what `expected` claims: every expected line matches an actual line, in order, with
 * other lines in between allowed. `…` in an expected line stands for any text; a line that is only `…` (or
 * empty) is a reminder that more output comes and matches nothing by itself. Returns the first expected line
 * not found, or undefined.
 */
export function missingLine(expected: string, actual: string): string | undefined {
  const have = actual.split('\n').map((l) => l.trimEnd())
  let at = 0
  for (const want of expected.split('\n').map((l) => l.trimEnd())) {
    if (want === '' || want === '…') continue
    const pattern = new RegExp(`^${want.split('…').map(escapeRegExp).join('.*')}$`)
    while (at < have.length && !pattern.test(have[at] ?? '')) at++
    if (at === have.length) return want
    at++
  }
  return undefined
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
