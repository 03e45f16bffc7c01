import { Box, Group, Text } from '@mantine/core'
import { formatTime } from '../../components/format'
import type { UsagePoint, UsageSeries } from './usage-series'

// A stacked bar chart drawn as plain SVG: 24 or 30 bars and three series need no chart library, and this keeps
// the console's bundle and its strict CSP (no inline scripts, no eval) as they are.

const W = 720
const H = 200
const PAD = { left: 44, right: 8, top: 8, bottom: 24 }

const SERIES = [
  { key: 'allowed', label: 'allowed', color: 'var(--mantine-color-teal-6)' },
  { key: 'rateLimited', label: 'rate-limited', color: 'var(--mantine-color-orange-5)' },
  { key: 'refused', label: 'refused', color: 'var(--mantine-color-red-6)' },
] as const

const pad2 = (value: number) => String(value).padStart(2, '0')

/** Hourly bars by local time (minutes too: a zone may be offset by half an hour); daily bars by UTC date. */
function tickLabel(start: number, bucketSeconds: number): string {
  const date = new Date(start * 1000)
  if (bucketSeconds < 86_400) return `${pad2(date.getHours())}:${pad2(date.getMinutes())}`
  return `${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}`
}

function barTitle(point: UsagePoint, bucketSeconds: number): string {
  const when =
    bucketSeconds < 86_400
      ? formatTime(point.start).slice(0, 16)
      : new Date(point.start * 1000).toISOString().slice(0, 10)
  return `${when}: ${point.allowed} allowed, ${point.rateLimited} rate-limited, ${point.refused} refused`
}

export function UsageChart({ series }: { series: UsageSeries }) {
  const plotW = W - PAD.left - PAD.right
  const plotH = H - PAD.top - PAD.bottom
  const slot = plotW / series.points.length
  const barW = Math.max(2, slot * 0.7)
  const y = (value: number) => PAD.top + plotH - (value / series.ceiling) * plotH
  const every = series.points.length > 24 ? 5 : 6
  const { totals } = series
  return (
    <Box>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-label={`Requests per ${series.bucketSeconds < 86_400 ? 'hour' : 'day'}: ${totals.allowed} allowed, ${totals.rateLimited} rate-limited, ${totals.refused} refused`}
        data-testid="usage-chart"
        style={{ display: 'block', maxHeight: 240 }}
      >
        {[0, 0.5, 1].map((fraction) => (
          <g key={fraction}>
            <line
              x1={PAD.left}
              x2={W - PAD.right}
              y1={y(series.ceiling * fraction)}
              y2={y(series.ceiling * fraction)}
              style={{ stroke: 'var(--mantine-color-gray-3)' }}
            />
            <text
              x={PAD.left - 6}
              y={y(series.ceiling * fraction) + 4}
              textAnchor="end"
              style={{ fontSize: 11, fill: 'var(--mantine-color-dimmed)' }}
            >
              {(series.ceiling * fraction).toLocaleString()}
            </text>
          </g>
        ))}
        {series.points.map((point, index) => {
          const x = PAD.left + index * slot + (slot - barW) / 2
          let base = 0
          return (
            <g key={point.start} data-testid="usage-bar" data-total={point.total}>
              <title>{barTitle(point, series.bucketSeconds)}</title>
              {/* A transparent full-height target, so hovering an empty hour still names it. */}
              <rect x={x} y={PAD.top} width={barW} height={plotH} style={{ fill: 'transparent' }} />
              {SERIES.map(({ key, color }) => {
                const value = point[key]
                if (value === 0) return null
                const top = y(base + value)
                const height = y(base) - top
                base += value
                return <rect key={key} x={x} y={top} width={barW} height={height} style={{ fill: color }} />
              })}
              {index % every === (series.points.length - 1) % every && (
                <text
                  x={x + barW / 2}
                  y={H - 6}
                  textAnchor="middle"
                  style={{ fontSize: 11, fill: 'var(--mantine-color-dimmed)' }}
                >
                  {tickLabel(point.start, series.bucketSeconds)}
                </text>
              )}
            </g>
          )
        })}
      </svg>
      <Group gap="lg" mt="xs" data-testid="usage-totals">
        {SERIES.map(({ key, label, color }) => (
          <Group key={key} gap={6} wrap="nowrap">
            <Box w={10} h={10} style={{ background: color, borderRadius: 2 }} />
            <Text size="sm">
              <b data-testid={`usage-total-${key}`}>{totals[key].toLocaleString('en-US')}</b> {label}
            </Text>
          </Group>
        ))}
      </Group>
    </Box>
  )
}
