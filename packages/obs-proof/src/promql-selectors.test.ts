import { describe, expect, it } from 'vitest'
import { vectorSelectors } from './promql-selectors'

describe('vectorSelectors', () => {
  it('finds selectors inside functions and aggregations, not grouping labels or functions', () => {
    expect(
      vectorSelectors(
        'histogram_quantile(0.99, sum by (le) (rate(gatekeeper_authz_notification_lag_seconds_bucket{job="gatekeeper-authz"}[5m]))) > 1',
      ),
    ).toEqual(['gatekeeper_authz_notification_lag_seconds_bucket{job="gatekeeper-authz"}'])
  })

  it('handles binary operators, recording-rule names, absent() and braces with quotes', () => {
    expect(
      vectorSelectors(
        'sum(up{job="a"}) == 0 or absent(up{job="a", x=~"}{"}) and on (instance) gatekeeper_authz:denied_ratio:rate5m > 2 * foo',
      ),
    ).toEqual(['up{job="a"}', 'up{job="a", x=~"}{"}', 'gatekeeper_authz:denied_ratio:rate5m', 'foo'])
  })

  it('ignores numbers with exponents and durations', () => {
    expect(vectorSelectors('rate(x[1h]) > 1e-3 and y offset 5m')).toEqual(['x', 'y'])
  })
})
