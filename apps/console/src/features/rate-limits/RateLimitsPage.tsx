import type { ClientWire, RateLimitWire } from '@gatekeeper/models'
import { Button, Group, Loader, Table, Text } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { type ApiRequestError, asApiError } from '../../api/errors'
import { queryKeys, screenLoad, useApiQuery } from '../../app/queries'
import { useAdminApi } from '../../app/services-context'
import { ClientLink } from '../../components/ClientLink'
import { ConfirmModal } from '../../components/ConfirmModal'
import { EmptyState } from '../../components/EmptyState'
import { ErrorAlert } from '../../components/ErrorAlert'
import { PageHeader } from '../../components/PageHeader'
import { StatusBadge } from '../../components/StatusBadge'
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
  const [clearing, setClearing] = useState<ClientWire | null>(null)
  const [error, setError] = useState<ApiRequestError | null>(null)
  const byClient = useMemo(
    () => new Map<string, RateLimitWire>((limits.data ?? []).map((limit) => [limit.client_id, limit])),
    [limits.data],
  )

  const clear = async (client: ClientWire) => {
    setClearing(null)
    setError(null)
    try {
      await admin.clearRateLimit(client.client_id)
      reload()
    } catch (failure) {
      setError(asApiError(failure))
    }
  }

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
      <ErrorAlert error={error} title="The change was refused" />
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
        <Table.ScrollContainer minWidth={640} type="native">
          <Table striped verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Client</Table.Th>
                <Table.Th>Per minute</Table.Th>
                <Table.Th>Per day</Table.Th>
                <Table.Th>Usage</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {clients.data.map((client) => {
                const limit = byClient.get(client.client_id)
                return (
                  <Table.Tr key={client.client_id}>
                    <Table.Td>
                      <Group gap="xs">
                        <ClientLink clientId={client.client_id} name={client.client_name} />
                        {client.status !== 'active' && <StatusBadge status={client.status} />}
                      </Group>
                    </Table.Td>
                    <Table.Td>{limitText(limit?.requests_per_minute)}</Table.Td>
                    <Table.Td>{limitText(limit?.requests_per_day)}</Table.Td>
                    <Table.Td>
                      {limit === undefined ? (
                        <Text size="xs" c="dimmed">
                          unlimited
                        </Text>
                      ) : (
                        <UsageCell limit={limit} />
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Button size="compact-sm" variant="light" onClick={() => setEditing(client)}>
                          {limit === undefined ? 'Set limit' : 'Change'}
                        </Button>
                        {limit !== undefined && (
                          <Button size="compact-sm" variant="subtle" color="red" onClick={() => setClearing(client)}>
                            Clear
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                )
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing !== null && (
        <RateLimitModal
          clientName={editing.client_name}
          current={byClient.get(editing.client_id)}
          save={(body) => admin.setRateLimit(editing.client_id, body)}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null)
            reload()
          }}
        />
      )}
      {clearing !== null && (
        <ConfirmModal
          opened
          title="Clear rate limit"
          confirmLabel="Clear limit"
          onConfirm={() => void clear(clearing)}
          onClose={() => setClearing(null)}
        >
          <Text size="sm">
            Remove every limit of {clearing.client_name}? Its requests are no longer counted against a quota.
          </Text>
        </ConfirmModal>
      )}
    </>
  )
}
