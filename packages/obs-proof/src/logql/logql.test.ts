import { describe, expect, it } from 'vitest'
import { compileLogql } from './metric'
import type { LogEntry } from './select'

const entry = (ts: number, fields: Record<string, unknown>, app = 'authz'): LogEntry => ({
  ts: BigInt(ts) * 1_000_000_000n,
  line: JSON.stringify({ msg: 'authz decision', ...fields }),
  labels: { app, instance: 'i1', level: 'info' },
})

const entries = [
  entry(10, { allowed: false, client_ip: '10.0.0.1', reason: 'invalid_credentials' }),
  entry(20, { allowed: false, client_ip: '10.0.0.1', reason: 'no_route_match' }),
  entry(30, { allowed: false, client_ip: '10.0.0.2', reason: 'no_route_match' }),
  entry(40, { allowed: true, client_ip: '10.0.0.3', reason: 'authenticated', client_id: 'c1' }),
  entry(50, { allowed: false }, 'console-api'),
]

describe('the LogQL stand-in', () => {
  it('selects streams, filters lines and json fields', () => {
    const q = compileLogql('{app="authz"} |= "authz decision" | json | allowed="false" | reason=~"no_.*"')
    expect(q.kind === 'logs' && q.select(entries).map((e) => e.labels.client_ip)).toEqual(['10.0.0.1', '10.0.0.2'])
  })

  it('counts over a window ending at the evaluation time and aggregates by label', () => {
    const q = compileLogql('topk(1, sum by (client_ip) (count_over_time({app="authz"} | json | allowed="false" [1m])))')
    if (q.kind !== 'metric') throw new Error('expected a metric query')
    expect(q.at(entries, 60n * 1_000_000_000n)).toEqual([{ labels: { client_ip: '10.0.0.1' }, value: 2 }])
    expect(q.at(entries, 85n * 1_000_000_000n)).toEqual([{ labels: { client_ip: '10.0.0.2' }, value: 1 }])
  })

  it('refuses what it does not implement instead of answering wrongly', () => {
    expect(() => compileLogql('{app="authz"} | logfmt')).toThrow(/does not support/)
    expect(() => compileLogql('avg_over_time({app="authz"} | json | unwrap duration_ms [1m])')).toThrow()
  })
})
