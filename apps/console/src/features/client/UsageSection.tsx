import { Group, Loader, SegmentedControl, Text } from '@mantine/core'
import { useState } from 'react'
import type { AdminApi } from '../../api/admin'
import type { UsageWindow } from '../../api/lifecycle'
import { queryKeys, useApiQuery } from '../../app/queries'
import { ErrorAlert } from '../../components/ErrorAlert'
import { Section } from './Section'
import { UsageChart } from './UsageChart'
import { usageSeries } from './usage-series'

type Props = { clientId: string; admin: AdminApi }

/**
 * Requests authz decided for the client, per hour over 24 h or per day over 30 d. A console-api without the
 * usage endpoint (404) shows no section at all.
 */
export function UsageSection({ clientId, admin }: Props) {
  const [span, setSpan] = useState<UsageWindow>('24h')
  const usage = useApiQuery(queryKeys.clientUsage(clientId, span), () => admin.clientUsage(clientId, span))
  if (usage.error?.isMissingEndpoint) return null
  const series = usage.data === undefined ? null : usageSeries(usage.data, span, usage.dataUpdatedAt / 1000)
  return (
    <Section
      title="Usage"
      testId="client-usage"
      actions={
        <SegmentedControl
          size="xs"
          aria-label="Usage window"
          value={span}
          onChange={(value) => setSpan(value === '30d' ? '30d' : '24h')}
          data={[
            { value: '24h', label: 'Last 24 h' },
            { value: '30d', label: 'Last 30 d' },
          ]}
        />
      }
    >
      <ErrorAlert error={usage.error} title="Could not load usage" onRetry={() => void usage.refetch()} />
      {series === null ? (
        usage.error === null && <Loader size="sm" />
      ) : (
        <>
          <UsageChart series={series} />
          {series.reasons.length > 0 && (
            <Group gap="md" data-testid="usage-reasons">
              <Text size="xs" c="dimmed">
                Refused because:
              </Text>
              {series.reasons.map(({ reason, count }) => (
                <Text key={reason} size="xs">
                  <code>{reason}</code> {count.toLocaleString('en-US')}
                </Text>
              ))}
            </Group>
          )}
        </>
      )}
    </Section>
  )
}
