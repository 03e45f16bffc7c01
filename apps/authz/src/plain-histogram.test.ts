import { AggregatorRegistry, Histogram, Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { PlainHistogram } from './plain-histogram'

const config = {
  name: 'test_duration_seconds',
  help: 'A test histogram.',
  buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25],
}

// Bounds themselves (le is inclusive), between them, below the first, above the last, zero.
const WORKER_A = [0.00005, 0.00004, 0, 0.0003, 0.0011, 0.25, 0.2500001, 7, 0.003, 0.00012]
const WORKER_B = [0.0001, 0.049, 0.05, 12.5, 0.00001, 0.0009]

function plain(values: readonly number[]): Registry {
  const registry = new Registry()
  const histogram = new PlainHistogram(config)
  histogram.register(registry)
  for (const v of values) histogram.observe(v)
  return registry
}

function reference(values: readonly number[]): Registry {
  const registry = new Registry()
  const histogram = new Histogram({ ...config, registers: [registry] })
  for (const v of values) histogram.observe(v)
  return registry
}

/** What a worker sends its primary: the registry's JSON, through the IPC channel's serialisation. */
async function asSent(registry: Registry) {
  return JSON.parse(JSON.stringify(await registry.getMetricsAsJSON()))
}

describe('PlainHistogram', () => {
  it('exposes the same text as prom-client’s Histogram given the same observations', async () => {
    const text = await plain(WORKER_A).metrics()
    expect(text).toBe(await reference(WORKER_A).metrics())
    expect(text).toContain('test_duration_seconds_bucket{le="0.00005"} 3\n')
    expect(text).toContain('test_duration_seconds_bucket{le="0.00025"} 4\n')
    expect(text).toContain('test_duration_seconds_bucket{le="0.25"} 8\n')
    expect(text).toContain('test_duration_seconds_bucket{le="+Inf"} 10\n')
    expect(text).toContain('test_duration_seconds_count 10\n')
  })

  it('exposes zeros before any observation, and again after reset', async () => {
    expect(await plain([]).metrics()).toBe(await reference([]).metrics())
    const registry = plain(WORKER_A)
    registry.resetMetrics()
    expect(await registry.metrics()).toContain('test_duration_seconds_count 0\n')
  })

  it('is summed across cluster workers like prom-client’s Histogram', async () => {
    const aggregated = AggregatorRegistry.aggregate([await asSent(plain(WORKER_A)), await asSent(plain(WORKER_B))])
    const expected = AggregatorRegistry.aggregate([
      await asSent(reference(WORKER_A)),
      await asSent(reference(WORKER_B)),
    ])
    const text = await aggregated.metrics()
    expect(text).toBe(await expected.metrics())
    expect(text).toContain('test_duration_seconds_bucket{le="0.0001"} 5\n')
    expect(text).toContain('test_duration_seconds_bucket{le="+Inf"} 16\n')
    expect(text).toContain('test_duration_seconds_count 16\n')
  })
})
