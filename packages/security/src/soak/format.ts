import { ms } from '../faults/result'
import type { SoakResult } from './run'

export function formatSoak(r: SoakResult, started: Date, seconds: number): string {
  const when = started.toISOString().slice(0, 16).replace('T', ' ')
  const lines = [
    `### Soak, ${when} UTC (\`SOAK_SECONDS=${seconds} pnpm soak\`): ${r.passed ? 'pass' : 'FAIL'}`,
    '',
    '| | |',
    '|---|---|',
    `| capacity measured (closed loop through nginx, 32 concurrent) | ${r.capacityPerSecond} req/s |`,
    `| soak rate (paced) | ${r.targetPerSecond} req/s for ${Math.round(r.load.seconds)} s |`,
    `| requests | ${r.load.sent} |`,
    `| wrong decisions / errors | ${r.load.wrong} / ${r.load.errors} |`,
    `| latency through nginx p50 / p99 / max | ${ms(r.load.p50)} / ${ms(r.load.p99)} / ${ms(r.load.max)} |`,
    `| live configuration changes | ${r.changes} (${Object.entries(r.changeKinds)
      .map(([k, n]) => `${k} ×${n}`)
      .join(', ')}) |`,
    `| authz RSS after warm-up (${r.warmupSeconds} s) / at the end / max | ${r.rss.baselineMiB} / ${r.rss.endMiB} / ${r.rss.maxMiB} MiB (${r.rss.growthPercent >= 0 ? '+' : ''}${r.rss.growthPercent}%) |`,
    `| metric series after warm-up / at the end | ${r.series.atWarmup} / ${r.series.atEnd}: ${r.series.fromRoutesCreated} belong to the ${r.series.routesCreated} route(s) created during the soak, ${r.series.newAfterWarmup.length} other first seen after warm-up, ${r.series.newInSecondHalf.length} in the second half; label values outside their closed sets: ${r.series.strayLabels.length} |`,
    '',
  ]
  for (const failure of r.failures) lines.push(`- FAILURE: ${failure}`)
  if (r.series.newAfterWarmup.length > 0) {
    lines.push(
      '',
      `Series first seen after warm-up (closed label sets, first occurrence): ${r.series.newAfterWarmup.join(', ')}`,
    )
  }
  lines.push('', 'Samples (t, RSS MiB, series, requests):', '')
  lines.push(r.samples.map((s) => `${s.at}s ${s.rssMiB} ${s.series} ${s.sent}`).join(' · '))
  return lines.join('\n')
}
