import type { PropagationResult } from './propagation'
import type { Row, ScaleInfo, Target } from './report'

// The performance targets for this 2-core machine, checked against one run.

const pct = (x: number) => `${(x * 100).toFixed(0)}%`

export function checkTargets(
  rows: readonly Row[],
  scale: { small?: ScaleInfo; large?: ScaleInfo },
  propagation: PropagationResult | undefined,
): Target[] {
  const byKey = new Map(rows.map((r) => [r.key, r]))
  const rps = (key: string) => byKey.get(key)?.measurement?.rps
  const targets: Target[] = []
  const ratioTarget = (name: string, key: string, versus: string, goal: number) => {
    // The row's own ratio when it is taken against `versus` (with rounds: the median of each round's ratio).
    const row = byKey.get(key)
    const a = rps(key)
    const b = rps(versus)
    const ratio =
      row?.vs === versus && row.ratio !== undefined ? row.ratio : a === undefined || b === undefined ? undefined : a / b
    targets.push({
      name,
      value: ratio === undefined ? 'not measured' : pct(ratio),
      goal: `>= ${pct(goal)}`,
      met: ratio === undefined ? undefined : ratio >= goal,
    })
  }
  ratioTarget('API-key decision vs baseline', 'direct.api_key', 'baseline', 0.75)
  ratioTarget('HMAC v1 (Redis nonce) vs baseline', 'direct.hmac_v1', 'baseline', 0.55)
  ratioTarget('HMAC v2 (Redis nonce) vs baseline', 'direct.hmac_v2', 'baseline', 0.55)
  ratioTarget('rate-limited API key (Redis) vs baseline', 'direct.rate_limited', 'baseline', 0.55)
  ratioTarget('API key under a garbage-key flood vs alone', 'direct.api_key_flooded', 'direct.api_key', 0.8)
  const denied = rps('direct.denied')
  const apiKey = rps('direct.api_key')
  targets.push({
    name: 'unknown key (401) vs API key',
    value: denied === undefined || apiKey === undefined ? 'not measured' : pct(denied / apiKey),
    goal: '>= 100%',
    met: denied === undefined || apiKey === undefined ? undefined : denied >= apiKey,
  })

  const direct = rows.filter((r) => r.group === 'direct' && r.measurement !== undefined)
  const worst = direct.reduce<Row | undefined>(
    (w, r) => ((r.measurement?.p99Ms ?? 0) > (w?.measurement?.p99Ms ?? -1) ? r : w),
    undefined,
  )
  targets.push({
    name: 'p99 of every direct scenario at 50 connections',
    value:
      worst?.measurement === undefined
        ? 'not measured'
        : `worst ${worst.measurement.p99Ms.toFixed(2)} ms (${worst.label})`,
    goal: '<= 5 ms',
    met: worst?.measurement === undefined ? undefined : direct.every((r) => (r.measurement?.p99Ms ?? 0) <= 5),
  })
  ratioTarget(
    'nginx: auth_request to authz vs to the minimal auth server',
    'nginx.auth_authz',
    'nginx.auth_baseline',
    0.9,
  )
  ratioTarget('large tables vs small tables (API key)', 'scale.large', 'scale.small', 0.9)

  const large = scale.large
  targets.push({
    name: 'large snapshot load',
    value: large === undefined ? 'not measured' : `${(large.snapshotLoadMs / 1000).toFixed(2)} s`,
    goal: '<= 5 s',
    met: large === undefined ? undefined : large.snapshotLoadMs <= 5000,
  })
  const rss = large === undefined ? undefined : Math.max(large.rssLoadedMB ?? 0, large.rssAfterRunMB ?? 0)
  targets.push({
    name: 'authz RSS at the large size',
    value: rss === undefined ? 'not measured' : `${rss.toFixed(0)} MB`,
    goal: '< 400 MB',
    met: rss === undefined ? undefined : rss < 400,
  })
  const worstInstance = propagation?.instances.reduce((w, i) => Math.max(w, i.p99Ms), 0)
  targets.push({
    name: 'propagation p99, worst instance',
    value:
      propagation === undefined || worstInstance === undefined
        ? 'not measured'
        : `${worstInstance.toFixed(1)} ms (${propagation.missed} missed)`,
    goal: '<= 100 ms',
    met:
      worstInstance === undefined || propagation === undefined
        ? undefined
        : worstInstance <= 100 && propagation.missed === 0,
  })
  return targets
}
