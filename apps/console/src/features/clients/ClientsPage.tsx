import type { ClientCreatedWire, ClientWire } from '@gatekeeper/models'
import { Alert, Button, Group, Loader, SegmentedControl, Text } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useConfirmedAction } from '../../app/confirmed-action'
import { queryKeys, screenLoad, useApiQuery } from '../../app/queries'
import { useAdminApi } from '../../app/services-context'
import { ConfirmAction } from '../../components/ConfirmModal'
import { EmptyState } from '../../components/EmptyState'
import { ErrorAlert } from '../../components/ErrorAlert'
import { PageHeader } from '../../components/PageHeader'
import { NoSearchMatch, SearchInput } from '../../components/Search'
import { navigate, toHash, useHashQuery } from '../../router/hash-location'
import { ClientsTable } from './ClientsTable'
import { CreateClientModal } from './CreateClientModal'
import { CredentialsReveal, type RevealedCredentials } from './CredentialsReveal'
import { type ClientAction, confirmText, sendClientAction } from './client-actions'
import { RotateAndReveal } from './RotateModal'

type Pending = { client: ClientWire; action: ClientAction }

/** The "unused for" filter, kept in the address (`#/clients?unused_for=90d`) so a filtered list can be shared. */
const UNUSED_OPTIONS = [
  { value: '', label: 'any' },
  { value: '30d', label: '30 days' },
  { value: '90d', label: '90 days' },
]

function unusedFilter(value: string | null): string {
  return UNUSED_OPTIONS.some((option) => option.value === value) ? (value ?? '') : ''
}

function revealFromCreated(created: ClientCreatedWire): RevealedCredentials {
  return {
    clientName: created.client_name,
    ...(created.api_key === undefined ? {} : { apiKey: created.api_key }),
    ...(created.shared_secret === undefined ? {} : { sharedSecret: created.shared_secret }),
  }
}

export function ClientsPage() {
  const admin = useAdminApi()
  const unusedFor = unusedFilter(useHashQuery().get('unused_for'))
  const queries = useQueryClient()
  const clients = useApiQuery(
    queryKeys.clientList(unusedFor),
    () => admin.listClients(unusedFor === '' ? {} : { unused_for: unusedFor }),
    screenLoad,
  )
  const reload = () => void queries.invalidateQueries({ queryKey: queryKeys.clients })
  const setUnusedFor = (value: string) =>
    navigate(toHash('/clients', value === '' ? {} : { unused_for: value }), { replace: true })
  const [search, setSearch] = useState('')
  const [creating, setCreating] = useState(false)
  const [revealed, setRevealed] = useState<RevealedCredentials | null>(null)
  const [rotating, setRotating] = useState<ClientWire | null>(null)
  const acting = useConfirmedAction(({ client, action }: Pending) => sendClientAction(admin, client, action), reload)

  const onAction = (client: ClientWire, action: ClientAction) => {
    if (action.kind === 'rotate') setRotating(client)
    else if (confirmText(client, action) !== null) acting.ask({ client, action })
    else acting.run({ client, action })
  }

  const needle = search.trim().toLowerCase()
  const visible = (clients.data ?? []).filter(
    (client) => needle === '' || `${client.client_name} ${client.client_id}`.toLowerCase().includes(needle),
  )

  return (
    <>
      <PageHeader
        title="Clients"
        description="API consumers and their credentials. Keys are shown masked; raw values only once."
        actions={<Button onClick={() => setCreating(true)}>New client</Button>}
      />
      <ErrorAlert error={clients.error} title="Could not load clients" onRetry={() => void clients.refetch()} />
      <ErrorAlert error={acting.error} title="The change was refused" />
      <Group mb="sm" align="center" wrap="wrap">
        <SearchInput
          placeholder="Search by name or id"
          aria-label="Search clients"
          value={search}
          onChange={setSearch}
          style={{ flex: 1, minWidth: 200 }}
        />
        <Group gap="xs" wrap="nowrap">
          <Text size="sm" id="unused-for-label">
            Unused for
          </Text>
          <SegmentedControl
            aria-labelledby="unused-for-label"
            data={UNUSED_OPTIONS}
            value={unusedFor}
            onChange={setUnusedFor}
          />
        </Group>
      </Group>
      {unusedFor !== '' && clients.data !== undefined && clients.data.some((c) => c.last_used_at === undefined) && (
        <Alert color="yellow" mb="sm" title="Last use is not tracked by this console-api">
          The list is not filtered: this console-api does not record when clients were last used.
        </Alert>
      )}
      {clients.isFetching && clients.data === undefined ? (
        <Loader />
      ) : unusedFor !== '' && clients.data?.length === 0 ? (
        <EmptyState
          title={`No client unused for ${unusedFor === '30d' ? '30' : '90'} days`}
          testId="empty-unused-clients"
          actions={
            <Button variant="default" onClick={() => setUnusedFor('')}>
              Show all clients
            </Button>
          }
        >
          Every client was used, or created, within that time.
        </EmptyState>
      ) : clients.data?.length === 0 ? (
        <EmptyState
          title="No clients yet"
          testId="empty-clients"
          actions={<Button onClick={() => setCreating(true)}>Create a client</Button>}
        >
          A client is an API consumer with its own API key or HMAC secret. Create one, then allow it routes on the
          Permissions screen.
        </EmptyState>
      ) : clients.data !== undefined && visible.length === 0 ? (
        <NoSearchMatch what="client" onClear={() => setSearch('')} />
      ) : (
        clients.data !== undefined && (
          <ClientsTable clients={visible} busyId={acting.running?.client.client_id ?? null} onAction={onAction} />
        )
      )}
      {creating && (
        <CreateClientModal
          create={admin.createClient}
          onClose={() => setCreating(false)}
          onCreated={(created) => {
            setCreating(false)
            setRevealed(revealFromCreated(created))
            reload()
          }}
        />
      )}
      {rotating !== null && (
        <RotateAndReveal
          client={rotating}
          rotate={admin.rotateCredential}
          onRotated={reload}
          onClose={() => setRotating(null)}
        />
      )}
      {revealed !== null && <CredentialsReveal credentials={revealed} onDismiss={() => setRevealed(null)} />}
      <ConfirmAction
        action={acting}
        title={({ action }) => (action.kind === 'delete' ? 'Delete client' : 'Change client status')}
        confirmLabel="Confirm"
      >
        {({ client, action }) => confirmText(client, action)}
      </ConfirmAction>
    </>
  )
}
