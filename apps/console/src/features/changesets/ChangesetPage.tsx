import { Code, Group, Stack, Text, Title } from '@mantine/core'
import { queryKeys, useApiQuery } from '../../app/queries'
import { useAdminApi } from '../../app/services-context'
import { BackLink, DetailPending } from '../../components/DetailPending'
import { formatTime, plural } from '../../components/format'
import { AuditTable } from '../audit/AuditTable'
import { ChangeCounts } from './ChangesetsPage'

const CHANGESETS = { path: '/changesets', label: 'Change sets' }

/** `#/changesets/<id>`: one apply, with the audit entry of each change it made. */
export function ChangesetPage({ changesetId }: { changesetId: string }) {
  const admin = useAdminApi()
  const changeset = useApiQuery(queryKeys.changeset(changesetId), () => admin.getChangeset(changesetId))
  if (changeset.data === undefined) {
    return (
      <DetailPending load={changeset} what="change set" back={CHANGESETS} testId="changeset-not-found">
        No change set has the id {changesetId}, or this console-api does not record them.
      </DetailPending>
    )
  }
  const { data } = changeset
  return (
    <Stack gap="md">
      <Stack gap={4}>
        <BackLink to={CHANGESETS} />
        <Title order={2}>Change set {data.id}</Title>
        <Group gap="md">
          <Text size="sm">
            Applied {formatTime(data.applied_at)} by <b>{data.actor}</b>
          </Text>
          <Text size="sm" c="dimmed">
            {plural(data.entries_total ?? data.entries.length, 'change')}
            {data.entries_total !== undefined && data.entries_total > data.entries.length
              ? ` (the first ${data.entries.length} shown)`
              : ''}
          </Text>
          {data.creates !== undefined && data.updates !== undefined && data.deletes !== undefined && (
            <ChangeCounts creates={data.creates} updates={data.updates} deletes={data.deletes} />
          )}
        </Group>
      </Stack>
      {data.entries.length === 0 ? (
        <Text size="sm" c="dimmed">
          This apply changed nothing.
        </Text>
      ) : (
        <AuditTable entries={data.entries} />
      )}
      <Text size="xs" c="dimmed">
        Each row is an entry of the audit log; <Code>Changes</Code> shows the entity before and after.
      </Text>
    </Stack>
  )
}
