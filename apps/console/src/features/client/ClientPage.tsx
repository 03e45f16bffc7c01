import type { ClientStatus } from '@gatekeeper/models'
import { Button, Code, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useConfirmedAction } from '../../app/confirmed-action'
import { queryKeys, useApiQuery } from '../../app/queries'
import { useAdminApi } from '../../app/services-context'
import { ConfirmAction } from '../../components/ConfirmModal'
import { BackLink, DetailPending } from '../../components/DetailPending'
import { ErrorAlert } from '../../components/ErrorAlert'
import { StatusBadge } from '../../components/StatusBadge'
import { navigate } from '../../router/hash-location'
import { type ClientAction, confirmText, sendClientAction, statusActions } from '../clients/client-actions'
import { PermissionsSection, RateLimitSection } from './AccessSection'
import { ClientAudit } from './ClientAudit'
import { CredentialsSection } from './CredentialsSection'
import { ExpiryEditModal } from './ExpiryEditModal'
import { IdentitySection } from './IdentitySection'
import { UsageSection } from './UsageSection'

const CLIENTS = { path: '/clients', label: 'Clients' }

/** `#/clients/<id>`: everything about one client on one screen, with the actions that change it. */
export function ClientPage({ clientId }: { clientId: string }) {
  const admin = useAdminApi()
  const queries = useQueryClient()
  const client = useApiQuery(queryKeys.clientDetail(clientId), () => admin.getClient(clientId))
  const [editingExpiry, setEditingExpiry] = useState(false)
  const refresh = () => void queries.invalidateQueries({ queryKey: queryKeys.client(clientId) })
  const change = useConfirmedAction(
    (action: ClientAction) =>
      client.data === undefined ? Promise.resolve() : sendClientAction(admin, client.data, action),
    (action) => (action.kind === 'delete' ? navigate(CLIENTS.path) : refresh()),
    { waitInDialog: true },
  )

  if (client.data === undefined) {
    return (
      <DetailPending load={client} what="client" back={CLIENTS} testId="client-not-found">
        No client has the id {clientId}. It may have been deleted.
      </DetailPending>
    )
  }

  const current = client.data
  const onAction = (action: ClientAction) => {
    change.reset()
    if (confirmText(current, action) === null) change.run(action)
    else change.ask(action)
  }
  const setStatus = (status: ClientStatus) => onAction({ kind: 'status', status })

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <BackLink to={CLIENTS} />
          <Group gap="sm">
            <Title order={2}>{current.client_name}</Title>
            <StatusBadge status={current.status} />
          </Group>
          <Group gap={6}>
            <Text size="sm" c="dimmed">
              Client id
            </Text>
            <Code data-testid="client-id">{current.client_id}</Code>
          </Group>
        </Stack>
        <Group gap={6} data-testid="client-actions">
          {statusActions(current).map((action) => (
            <Button
              key={action.status}
              variant="light"
              color={action.color}
              loading={change.running?.kind === 'status'}
              onClick={() => setStatus(action.status)}
            >
              {action.label}
            </Button>
          ))}
          <Button variant="default" onClick={() => setEditingExpiry(true)}>
            Change expiry
          </Button>
          <Button variant="subtle" color="red" onClick={() => onAction({ kind: 'delete' })}>
            Delete
          </Button>
        </Group>
      </Group>
      <ErrorAlert error={change.error} title="The change was refused" />
      <IdentitySection client={current} />
      <CredentialsSection client={current} admin={admin} onChanged={refresh} />
      <UsageSection clientId={clientId} admin={admin} />
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <PermissionsSection client={current} admin={admin} />
        <RateLimitSection client={current} admin={admin} />
      </SimpleGrid>
      <ClientAudit clientId={clientId} admin={admin} />
      <ConfirmAction
        action={change}
        title={(action) => (action.kind === 'delete' ? 'Delete client' : 'Change client status')}
        confirmLabel="Confirm"
      >
        {(action) => confirmText(current, action)}
      </ConfirmAction>
      {editingExpiry && (
        <ExpiryEditModal
          title={`Expiry of ${current.client_name}`}
          expiryHelp="From this moment authz refuses every request of the client (401 client_expired)."
          expiresAt={current.expires_at ?? null}
          save={(body) =>
            admin.updateClient(clientId, {
              expires_at: body.expires_at ?? null,
              ...(current.version === undefined ? {} : { version: current.version }),
            })
          }
          onSaved={refresh}
          onClose={() => setEditingExpiry(false)}
        />
      )}
    </Stack>
  )
}
