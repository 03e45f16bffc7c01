import type { RateLimitUsageWire } from '@gatekeeper/models'
import { List, Text } from '@mantine/core'
import { asApiError } from '../../api/errors'
import { queryKeys, screenLoad, useApiQuery } from '../../app/queries'
import { useAdminApi } from '../../app/services-context'
import { ClientLink } from '../../components/ClientLink'
import { OverviewPanel } from './OverviewPanel'
import { underPressure } from './rate-pressure'

// Usage is one call per limited client; the overview looks at this many at most.
const MAX_USAGE_CALLS = 50

export function RateLimitedPanel() {
  const admin = useAdminApi()
  const result = useApiQuery(
    queryKeys.rateLimitPressure,
    async () => {
      const limits = await admin.listRateLimits()
      const usage = new Map<string, RateLimitUsageWire>()
      let missing = false
      await Promise.all(
        limits.slice(0, MAX_USAGE_CALLS).map((limit) =>
          admin.rateLimitUsage(limit.client_id).then(
            (value) => usage.set(limit.client_id, value),
            (error: unknown) => {
              if (asApiError(error).isMissingEndpoint) missing = true
            },
          ),
        ),
      )
      return { pressure: underPressure(limits, usage), limited: limits.length, missing }
    },
    screenLoad,
  )

  return (
    <OverviewPanel
      title="Rate-limited clients"
      load={result}
      unavailable="Rate limits are not available from this console-api."
    >
      {({ missing, limited, pressure }) =>
        missing ? (
          <Text size="sm" c="dimmed">
            {limited} clients have limits; live usage is not available from this console-api.
          </Text>
        ) : pressure.length === 0 ? (
          <Text size="sm" c="dimmed">
            No client is near its limit ({limited} with limits).
          </Text>
        ) : (
          <List size="sm">
            {pressure.map((item) => (
              <List.Item key={`${item.clientId}:${item.window}`}>
                <ClientLink clientId={item.clientId} name={item.clientName} />: {item.used.toLocaleString()} /{' '}
                {item.limit.toLocaleString()} this {item.window}
                {item.used >= item.limit ? ' — being refused (429)' : ''}
              </List.Item>
            ))}
          </List>
        )
      }
    </OverviewPanel>
  )
}
