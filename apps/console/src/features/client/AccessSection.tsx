import { Anchor, Badge, Button, Group, Loader, SimpleGrid, Stack, Text } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import type { AdminApi } from '../../api/admin'
import type { ClientDetail } from '../../api/lifecycle'
import { queryKeys, useApiQuery } from '../../app/queries'
import { DataTable } from '../../components/DataTable'
import { ErrorAlert } from '../../components/ErrorAlert'
import { RateLimitModal } from '../rate-limits/RateLimitModal'
import { UsageCell } from '../rate-limits/UsageCell'
import { Section } from './Section'

type Props = { client: ClientDetail; admin: AdminApi }

/** The routes the client may call, with which methods. */
export function PermissionsSection({ client, admin }: Props) {
  const permissions = useApiQuery(queryKeys.clientPermissions(client.client_id), () =>
    admin.listPermissions({ client_id: client.client_id }),
  )
  return (
    <Section
      title="Permissions"
      testId="client-permissions"
      actions={
        <Anchor href="#/permissions" size="sm">
          Edit in the matrix
        </Anchor>
      }
    >
      <ErrorAlert
        error={permissions.error}
        title="Could not load permissions"
        onRetry={() => void permissions.refetch()}
      />
      {permissions.data === undefined ? (
        permissions.error === null && <Loader size="sm" />
      ) : permissions.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          No routes yet: authz refuses every request of this client (403). Grant methods on the Permissions screen.
        </Text>
      ) : (
        <DataTable
          minWidth={480}
          striped={false}
          rows={permissions.data}
          rowKey={(permission) => permission.permission_id}
          columns={[
            {
              header: 'Route',
              cell: (permission) => (
                <Anchor href={`#/routes/${encodeURIComponent(permission.route_id)}`} ff="monospace" size="sm">
                  {permission.route_pattern}
                </Anchor>
              ),
            },
            { header: 'Domain', cell: (permission) => <Text size="sm">{permission.route_domain}</Text> },
            { header: 'Service', cell: (permission) => <Text size="sm">{permission.route_service_name}</Text> },
            {
              header: 'Methods',
              cell: (permission) => (
                <Group gap={4}>
                  {permission.allowed_methods.map((method) => (
                    <Badge key={method} size="sm" variant="light">
                      {method}
                    </Badge>
                  ))}
                </Group>
              ),
            },
          ]}
        />
      )}
    </Section>
  )
}

const limitText = (value: number | null | undefined) =>
  value === null || value === undefined ? 'no limit' : value.toLocaleString('en-US')

/** The client's limits per minute and per day, with what it has used of them right now. */
export function RateLimitSection({ client, admin }: Props) {
  const queries = useQueryClient()
  const limits = useApiQuery(queryKeys.rateLimits, () => admin.listRateLimits())
  const [editing, setEditing] = useState(false)
  const limit = limits.data?.find((row) => row.client_id === client.client_id)
  return (
    <Section
      title="Rate limit"
      testId="client-rate-limit"
      actions={
        limits.data !== undefined && (
          <Button size="compact-sm" variant="light" onClick={() => setEditing(true)}>
            {limit === undefined ? 'Set limit' : 'Change'}
          </Button>
        )
      }
    >
      <ErrorAlert error={limits.error} title="Could not load rate limits" onRetry={() => void limits.refetch()} />
      {limits.data === undefined ? (
        limits.error === null && <Loader size="sm" />
      ) : limit === undefined ? (
        <Text size="sm" c="dimmed">
          Unlimited: no requests are counted against a quota.
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Stack gap={2}>
            <Text size="sm">
              Per minute: <b>{limitText(limit.requests_per_minute)}</b>
            </Text>
            <Text size="sm">
              Per day: <b>{limitText(limit.requests_per_day)}</b>
            </Text>
          </Stack>
          <UsageCell limit={limit} />
        </SimpleGrid>
      )}
      {editing && (
        <RateLimitModal
          clientName={client.client_name}
          current={limit}
          save={(body) => admin.setRateLimit(client.client_id, body)}
          onSaved={() => void queries.invalidateQueries({ queryKey: queryKeys.rateLimits })}
          onClose={() => setEditing(false)}
        />
      )}
    </Section>
  )
}
