import { Anchor, Badge, Button, Center, Code, Group, Loader, Text } from '@mantine/core'
import { useInfiniteQuery } from '@tanstack/react-query'
import type { ApiRequestError } from '../../api/errors'
import type { ChangesetPage } from '../../api/lifecycle'
import { queryKeys, throwingApiErrors } from '../../app/queries'
import { useAdminApi } from '../../app/services-context'
import { DataTable } from '../../components/DataTable'
import { EmptyState } from '../../components/EmptyState'
import { ErrorAlert } from '../../components/ErrorAlert'
import { formatTime } from '../../components/format'
import { PageHeader } from '../../components/PageHeader'

const DESCRIPTION =
  'Each apply of a configuration file (gatekeeper apply, POST /api/admin/config/apply) is one change set: ' +
  'every change it made, committed together as one config version.'

/** How many of each kind of change, as `+2 ~1 −0` badges. */
export function ChangeCounts({ creates, updates, deletes }: { creates: number; updates: number; deletes: number }) {
  return (
    <Group gap={4} wrap="nowrap">
      <Badge variant="light" color="teal" title="created">
        +{creates}
      </Badge>
      <Badge variant="light" color="blue" title="updated">
        ~{updates}
      </Badge>
      <Badge variant="light" color="red" title="deleted">
        −{deletes}
      </Badge>
    </Group>
  )
}

/** `#/changesets`: config-as-code applies, newest first, a page at a time. */
export function ChangesetsPage() {
  const admin = useAdminApi()
  const pages = useInfiniteQuery<ChangesetPage, ApiRequestError>({
    queryKey: queryKeys.changesets,
    initialPageParam: undefined as string | undefined,
    queryFn: throwingApiErrors(({ pageParam }) => admin.listChangesets(pageParam as string | undefined)),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  })
  const rows = pages.data?.pages.flatMap((page) => page.changesets) ?? []

  return (
    <>
      <PageHeader title="Change sets" description={DESCRIPTION} />
      {pages.error?.isMissingEndpoint ? (
        <EmptyState title="Change sets are not available" testId="changesets-unavailable">
          This console-api does not record configuration applies. Upgrade it to review the history of config-as-code
          changes here.
        </EmptyState>
      ) : (
        <ErrorAlert error={pages.error} title="Could not load change sets" onRetry={() => void pages.refetch()} />
      )}
      {pages.isPending && pages.error === null && <Loader />}
      {pages.data !== undefined && rows.length === 0 && (
        <EmptyState title="No change sets yet" testId="empty-changesets">
          Keep the configuration in a reviewed file and apply it with <Code>gatekeeper apply -f gatekeeper.yaml</Code>.
          Each apply appears here with the changes it made.
        </EmptyState>
      )}
      {rows.length > 0 && (
        <DataTable
          minWidth={640}
          highlightOnHover
          rows={rows}
          rowKey={(row) => row.id}
          rowTestId={(row) => `changeset-${row.id}`}
          columns={[
            {
              header: 'Applied',
              cell: (row) => (
                <Anchor href={`#/changesets/${encodeURIComponent(row.id)}`} size="sm">
                  {formatTime(row.applied_at)}
                </Anchor>
              ),
            },
            { header: 'By', cell: (row) => <Text size="sm">{row.actor}</Text> },
            {
              header: 'Changes',
              cell: (row) => <ChangeCounts creates={row.creates} updates={row.updates} deletes={row.deletes} />,
            },
            { header: 'Config version', cell: (row) => <Text size="sm">{row.config_version ?? '—'}</Text> },
            { header: 'Change set', cell: (row) => <Code>{row.id}</Code> },
          ]}
        />
      )}
      {pages.hasNextPage && (
        <Center my="md">
          <Button variant="light" loading={pages.isFetchingNextPage} onClick={() => void pages.fetchNextPage()}>
            Load older change sets
          </Button>
        </Center>
      )}
    </>
  )
}
