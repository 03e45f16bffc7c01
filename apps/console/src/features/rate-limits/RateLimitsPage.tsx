import type { ClientWire, RateLimitWire } from '@gatekeeper/models'
import { Button, Loader, Text } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { useConfirmedAction } from '../../app/confirmed-action'
import { queryKeys, screenLoad, useApiQuery } from '../../app/queries'
import { useAdminApi } from '../../app/services-context'
import { ClientNameCell } from '../../components/ClientLink'
import { ConfirmAction } from '../../components/ConfirmModal'
import { DataTable } from '../../components/DataTable'
import { EmptyState } from '../../components/EmptyState'
import { ErrorAlert } from '../../components/ErrorAlert'
import { PageHeader } from '../../components/PageHeader'
import { navigate } from '../../router/hash-location'
import { RateLimitModal } from './RateLimitModal'
import { UsageCell } from './UsageCell'

const limitText = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : value.toLocaleString()

export function RateLimitsPage() {
  const admin = useAdminApi()
  const queries = useQueryClient()
  const clients = useApiQuery(queryKeys.clientList(''), () => admin.listClients(), screenLoad)
  const limits = useApiQuery(queryKeys.rateLimits, () => admin.listRateLimits(), screenLoad)
  const reload = () => void queries.invalidateQueries({ queryKey: queryKeys.rateLimits })
  const [editing, setEditing] = useState<ClientWire | null>(null)
  const clearing = useConfirmedAction((client: ClientWire) => admin.clearRateLimit(client.client_id), reload)
  const byClient = useMemo(
    () => new Map<string, RateLimitWire>((limits.data ?? []).map((limit) => [limit.client_id, limit])),
    [limits.data],
  )

  return (
    <>
      <PageHeader
        title="Rate limits"
        description="Per-client request limits per minute and per day, with live usage."
      />
      <ErrorAlert
        error={clients.error ?? limits.error}
        title="Could not load rate limits"
        onRetry={() => void limits.refetch()}
      />
      <ErrorAlert error={clearing.error} title="The change was refused" />
      {clients.data === undefined || limits.data === undefined ? (
        clients.error === null && limits.error === null && <Loader />
      ) : clients.data.length === 0 ? (
        <EmptyState
          title="No clients to limit yet"
          testId="empty-rate-limits"
          actions={<Button onClick={() => navigate('/clients')}>Go to clients</Button>}
        >
          Limits are set per client (requests per minute and per day; over a limit authz answers 429). Create a client
          first.
        </EmptyState>
      ) : (
        <DataTable
          minWidth={640}
          verticalSpacing="sm"
          rows={clients.data}
          rowKey={(client) => client.client_id}
          actions={(client) => {
            const limited = byClient.has(client.client_id)
            return [
              { label: limited ? 'Change' : 'Set limit', onClick: () => setEditing(client) },
              limited && { label: 'Clear', color: 'red', subtle: true, onClick: () => clearing.ask(client) },
            ]
          }}
          columns={[
            { header: 'Client', cell: (client) => <ClientNameCell client={client} /> },
            { header: 'Per minute', cell: (client) => limitText(byClient.get(client.client_id)?.requests_per_minute) },
            { header: 'Per day', cell: (client) => limitText(byClient.get(client.client_id)?.requests_per_day) },
            {
              header: 'Usage',
              cell: (client) => {
                const limit = byClient.get(client.client_id)
                return limit === undefined ? (
                  <Text size="xs" c="dimmed">
                    unlimited
                  </Text>
                ) : (
                  <UsageCell limit={limit} />
                )
              },
            },
          ]}
        />
      )}
      {editing !== null && (
        <RateLimitModal
          clientName={editing.client_name}
          current={byClient.get(editing.client_id)}
          save={(body) => admin.setRateLimit(editing.client_id, body)}
          onSaved={reload}
          onClose={() => setEditing(null)}
        />
      )}
      <ConfirmAction action={clearing} title="Clear rate limit" confirmLabel="Clear limit">
        {(client) => (
          <>Remove every limit of {client.client_name}? Its requests are no longer counted against a quota.</>
        )}
      </ConfirmAction>
    </>
  )
}
