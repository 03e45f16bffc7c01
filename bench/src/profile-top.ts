// Summarises a V8 CPU profile (`node --cpu-prof`, e.g. from `pnpm bench --profile`): the functions with the most
// self time, and self time per package, so what stands in the way on the hot path is visible without a viewer.
// Usage: tsx bench/src/profile-top.ts <file.cpuprofile> [how many, default 30]

import { readFileSync } from 'node:fs'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

function isProfile(value: unknown): value is CpuProfile {
  return typeof value === 'object' && value !== null && 'nodes' in value && 'samples' in value && 'timeDeltas' in value
}

/** `.../node_modules/.pnpm/hono@4/node_modules/hono/dist/x.js` -> `hono`; repo files keep their path. */
function where(url: string): string {
  if (url === '') return '(native)'
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/.exec(url)
  if (pkg?.[1] !== undefined) return pkg[1]
  if (url.startsWith('node:')) return url
  const repo = /\/((?:apps|packages|bench)\/.+)$/.exec(url)
  return repo?.[1] ?? url
}

function frameName(node: ProfileNode): string {
  const f = node.callFrame
  return `${f.functionName || '(anonymous)'}  ${where(f.url)}${f.url === '' ? '' : `:${f.lineNumber + 1}`}`
}

export function summarise(profile: CpuProfile, top: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const totalByFrame = new Map<string, number>()
  const selfByFrame = new Map<string, number>()
  const selfByPlace = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0
    const node = byId.get(id)
    if (node === undefined) return
    total += us
    const place = where(node.callFrame.url)
    const frame = frameName(node)
    selfByFrame.set(frame, (selfByFrame.get(frame) ?? 0) + us)
    // Inclusive: once per distinct frame on the stack (recursion counted once).
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = byId.get(at)
      if (n === undefined) break
      const name = frameName(n)
      if (seen.has(name)) continue
      seen.add(name)
      totalByFrame.set(name, (totalByFrame.get(name) ?? 0) + us)
    }
    const group =
      place.startsWith('apps/') || place.startsWith('packages/') ? place.split('/').slice(0, 2).join('/') : place
    selfByPlace.set(group, (selfByPlace.get(group) ?? 0) + us)
  })
  const rows = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(
        ([name, us]) =>
          `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`,
      )
  return [
    `total sampled: ${(total / 1000).toFixed(0)} ms`,
    '',
    'self time by function:',
    ...rows(selfByFrame, top),
    '',
    'self time by package / place:',
    ...rows(selfByPlace, 20),
    '',
    'total (inclusive) time by function:',
    ...rows(totalByFrame, top),
  ].join('\n')
}

function main(): void {
  const [file, count] = process.argv.slice(2)
  if (file === undefined) throw new Error('usage: profile-top.ts <file.cpuprofile> [top]')
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'))
  if (!isProfile(parsed)) throw new Error(`${file}: not a V8 CPU profile`)
  process.stdout.write(`${summarise(parsed, Number(count ?? 30))}\n`)
}

if (process.argv[1]?.endsWith('profile-top.ts')) main()
