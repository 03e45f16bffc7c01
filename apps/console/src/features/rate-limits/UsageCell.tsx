import type { RateLimitWire } from '@gatekeeper/models'
import { Loader, Stack, Text } from '@mantine/core'
import { queryKeys, screenLoad, useApiQuery } from '../../app/queries'
import { useAdminApi } from '../../app/services-context'
import { UsageBar } from './UsageBar'

/** Live usage of one client. An older console-api without the usage endpoint shows a dash, nothing breaks. */
export function UsageCell({ limit }: { limit: RateLimitWire }) {
  const admin = useAdminApi()
  const usage = useApiQuery(
    queryKeys.rateLimitUsage(limit.client_id, limit.updated_at),
    () => admin.rateLimitUsage(limit.client_id),
    screenLoad,
  )
  if (usage.data === undefined) {
    if (usage.error !== null) {
      return (
        <Text size="xs" c="dimmed">
          {usage.error.isMissingEndpoint ? 'usage not available' : `usage: ${usage.error.message}`}
        </Text>
      )
    }
    return <Loader size="xs" />
  }
  const { used_day, used_minute } = usage.data
  return (
    <Stack gap={6} miw={180}>
      {limit.requests_per_minute !== null && (
        <UsageBar label="this minute" used={used_minute ?? 0} limit={limit.requests_per_minute} />
      )}
      <UsageBar label="today" used={used_day} limit={limit.requests_per_day} />
    </Stack>
  )
}
