import { Group, Stack, Text } from '@mantine/core'
import { queryKeys, screenLoad, useApiQuery } from '../../app/queries'
import { useAdminApi } from '../../app/services-context'
import { formatTime } from '../../components/format'
import { OverviewPanel } from './OverviewPanel'

export function RecentChanges() {
  const admin = useAdminApi()
  const audit = useApiQuery(
    queryKeys.audit({ limit: 8, offset: 0 }),
    () => admin.listAudit({ limit: 8, offset: 0 }),
    screenLoad,
  )
  return (
    <OverviewPanel
      title="Recent admin changes"
      link={{ href: '#/audit', label: 'Audit log' }}
      load={audit}
      unavailable="The audit log is not available from this console-api."
    >
      {(entries) =>
        entries.length === 0 ? (
          <Text size="sm" c="dimmed">
            No changes yet.
          </Text>
        ) : (
          <Stack gap={6}>
            {entries.map((entry) => (
              <Group key={entry.audit_id} gap="xs" wrap="nowrap">
                <Text size="xs" c="dimmed" w={130}>
                  {formatTime(entry.at)}
                </Text>
                <Text size="sm" truncate>
                  <b>{entry.actor}</b> {entry.action}
                  {entry.action.startsWith(`${entry.entity_type}.`) ? '' : ` ${entry.entity_type}`}
                </Text>
              </Group>
            ))}
          </Stack>
        )
      }
    </OverviewPanel>
  )
}
