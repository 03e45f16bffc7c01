import { Anchor, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core'
import { queryKeys, screenLoad, useApiQuery } from '../../app/queries'
import { useAdminApi } from '../../app/services-context'
import { formatTime } from '../../components/format'

export function RecentChanges() {
  const admin = useAdminApi()
  const audit = useApiQuery(
    queryKeys.audit({ limit: 8, offset: 0 }),
    () => admin.listAudit({ limit: 8, offset: 0 }),
    screenLoad,
  )
  return (
    <Paper withBorder p="md" radius="md">
      <Group justify="space-between" mb="xs">
        <Title order={4}>Recent admin changes</Title>
        <Anchor href="#/audit" size="sm">
          Audit log
        </Anchor>
      </Group>
      {audit.data === undefined ? (
        audit.error === null ? (
          <Loader size="sm" />
        ) : (
          <Text size="sm" c="dimmed">
            {audit.error.isMissingEndpoint
              ? 'The audit log is not available from this console-api.'
              : audit.error.message}
          </Text>
        )
      ) : audit.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          No changes yet.
        </Text>
      ) : (
        <Stack gap={6}>
          {audit.data.map((entry) => (
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
      )}
    </Paper>
  )
}
