import type { ConsoleAdminWire } from '@gatekeeper/models'
import { Badge, Button, Loader, Paper, Table, Text } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { type ApiRequestError, asApiError } from '../../api/errors'
import { queryKeys, screenLoad, useApiQuery } from '../../app/queries'
import { useAdminApi } from '../../app/services-context'
import { ConfirmModal } from '../../components/ConfirmModal'
import { ErrorAlert } from '../../components/ErrorAlert'
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
  const [removing, setRemoving] = useState<ConsoleAdminWire | null>(null)
  const [error, setError] = useState<ApiRequestError | null>(null)

  const remove = async (target: ConsoleAdminWire) => {
    setRemoving(null)
    setError(null)
    try {
      await admin.removeAdmin(target.admin_id)
      reload()
    } catch (failure) {
      setError(asApiError(failure))
    }
  }

  return (
    <>
      <PageHeader
        title="Console admins"
        description="Aegis users allowed into this console. They sign in with their own Aegis account."
      />
      <Paper withBorder p="md" mb="md">
        <Text size="sm" fw={500}>
          Add an admin by email
        </Text>
        <AddAdminForm add={admin.addAdmin} onAdded={reload} />
      </Paper>
      <ErrorAlert error={admins.error} title="Could not load admins" onRetry={() => void admins.refetch()} />
      <ErrorAlert error={error} title="The change was refused" />
      {admins.data === undefined ? (
        admins.isFetching && <Loader />
      ) : (
        <Table.ScrollContainer minWidth={640} type="native">
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Email</Table.Th>
                <Table.Th>Aegis user</Table.Th>
                <Table.Th>Added by</Table.Th>
                <Table.Th>Since</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {admins.data.map((row) => (
                <Table.Tr key={row.admin_id}>
                  <Table.Td>
                    {row.email} {row.email.toLowerCase() === me && <Badge size="xs">you</Badge>}
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" c={row.aegis_user_id === null ? 'dimmed' : undefined}>
                      {row.aegis_user_id ?? 'not signed in yet'}
                    </Text>
                  </Table.Td>
                  <Table.Td>{row.source}</Table.Td>
                  <Table.Td>
                    <Text size="xs">{formatTime(row.created_at)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Button size="compact-sm" variant="subtle" color="red" onClick={() => setRemoving(row)}>
                      Remove
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {removing !== null && (
        <ConfirmModal
          opened
          title="Remove admin"
          confirmLabel="Remove"
          onConfirm={() => void remove(removing)}
          onClose={() => setRemoving(null)}
        >
          <Text size="sm">
            Remove {removing.email}? Their next console request is refused
            {removing.email.toLowerCase() === me ? ', and that includes you' : ''}.
          </Text>
        </ConfirmModal>
      )}
    </>
  )
}
