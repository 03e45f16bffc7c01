import type { ConsoleAdminWire } from '@gatekeeper/models'
import { Badge, Loader, Text } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { useConfirmedAction } from '../../app/confirmed-action'
import { queryKeys, screenLoad, useApiQuery } from '../../app/queries'
import { useAdminApi } from '../../app/services-context'
import { ConfirmAction } from '../../components/ConfirmModal'
import { DataTable, RowButton } from '../../components/DataTable'
import { ErrorAlert } from '../../components/ErrorAlert'
import { FormPanel } from '../../components/FormPanel'
import { formatTime } from '../../components/format'
import { PageHeader } from '../../components/PageHeader'
import { useSession } from '../../session/session-context'
import { AddAdminForm } from './AddAdminForm'

export function AdminsPage() {
  const admin = useAdminApi()
  const { state } = useSession()
  const me = state.status === 'signed-out' ? null : state.email.toLowerCase()
  const queries = useQueryClient()
  const admins = useApiQuery(queryKeys.admins, () => admin.listAdmins(), screenLoad)
  const reload = () => void queries.invalidateQueries({ queryKey: queryKeys.admins })
  const removing = useConfirmedAction((target: ConsoleAdminWire) => admin.removeAdmin(target.admin_id), reload)

  return (
    <>
      <PageHeader
        title="Console admins"
        description="Aegis users allowed into this console. They sign in with their own Aegis account."
      />
      <FormPanel title="Add an admin by email">
        <AddAdminForm add={admin.addAdmin} onAdded={reload} />
      </FormPanel>
      <ErrorAlert error={admins.error} title="Could not load admins" onRetry={() => void admins.refetch()} />
      <ErrorAlert error={removing.error} title="The change was refused" />
      {admins.data === undefined ? (
        admins.isFetching && <Loader />
      ) : (
        <DataTable
          minWidth={640}
          rows={admins.data}
          rowKey={(row) => row.admin_id}
          columns={[
            {
              header: 'Email',
              cell: (row) => (
                <>
                  {row.email} {row.email.toLowerCase() === me && <Badge size="xs">you</Badge>}
                </>
              ),
            },
            {
              header: 'Aegis user',
              cell: (row) => (
                <Text size="xs" c={row.aegis_user_id === null ? 'dimmed' : undefined}>
                  {row.aegis_user_id ?? 'not signed in yet'}
                </Text>
              ),
            },
            { header: 'Added by', cell: (row) => row.source },
            { header: 'Since', cell: (row) => <Text size="xs">{formatTime(row.created_at)}</Text> },
            {
              key: 'actions',
              cell: (row) => (
                <RowButton variant="subtle" color="red" onClick={() => removing.ask(row)}>
                  Remove
                </RowButton>
              ),
            },
          ]}
        />
      )}
      <ConfirmAction action={removing} title="Remove admin" confirmLabel="Remove">
        {(target) => (
          <>
            Remove {target.email}? Their next console request is refused
            {target.email.toLowerCase() === me ? ', and that includes you' : ''}.
          </>
        )}
      </ConfirmAction>
    </>
  )
}
