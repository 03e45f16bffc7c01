// An unlabelled histogram counted in plain numbers and handed to prom-client as a metric object of its own. The
// registry asks a metric only for `get()` (the exposition text, /metrics, and the JSON a cluster worker sends
// its primary), so this one answers with exactly the values prom-client's Histogram would: the same names,
// cumulative `_bucket` lines with `le` the bound as a number and `+Inf`, then `_sum` and `_count`. Its
// aggregator is `sum`, as a Histogram's, so a cluster primary adds the workers' buckets, sums and counts.

import type { Histogram, Registry } from 'prom-client'

interface HistogramValue {
  labels: { le?: number | '+Inf' }
  value: number
  metricName: string
}

interface PlainHistogramConfig {
  name: string
  help: string
  /** Upper bounds, ascending. */
  buckets: readonly number[]
}

export class PlainHistogram {
  readonly name: string
  readonly help: string
  readonly type = 'histogram'
  readonly aggregator = 'sum'
  private readonly bounds: Float64Array
  /** Observations per bucket, not cumulative; the last slot holds those above the last bound. */
  private readonly counts: Float64Array
  private sum = 0
  private count = 0

  constructor(config: PlainHistogramConfig) {
    this.name = config.name
    this.help = config.help
    this.bounds = Float64Array.from(config.buckets)
    this.counts = new Float64Array(config.buckets.length + 1)
  }

  observe(value: number): void {
    const bounds = this.bounds
    let i = 0
    while (i < bounds.length && !(value <= (bounds[i] ?? 0))) i++
    this.counts[i] = (this.counts[i] ?? 0) + 1
    this.sum += value
    this.count++
  }

  reset(): void {
    this.counts.fill(0)
    this.sum = 0
    this.count = 0
  }

  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: HistogramValue[] }> {
    const bucketName = `${this.name}_bucket`
    const values: HistogramValue[] = []
    let cumulative = 0
    for (let i = 0; i < this.bounds.length; i++) {
      cumulative += this.counts[i] ?? 0
      values.push({ labels: { le: this.bounds[i] ?? 0 }, value: cumulative, metricName: bucketName })
    }
    values.push(
      { labels: { le: '+Inf' }, value: this.count, metricName: bucketName },
      { labels: {}, value: this.sum, metricName: `${this.name}_sum` },
      { labels: {}, value: this.count, metricName: `${this.name}_count` },
    )
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values }
  }

  /**
   * prom-client's typings accept only its own metric classes here; at run time a registry keeps any object and
   * calls `get()` (and `reset()` from `resetMetrics()`), which this one provides.
   */
  register(registry: Registry): void {
    registry.registerMetric(this as unknown as Histogram)
  }
}
