import { Badge, Code, Group, SimpleGrid, Stack, Text } from '@mantine/core'
import type { ReactNode } from 'react'
import type { ClientDetail } from '../../api/lifecycle'
import { formatTime } from '../../components/format'
import { StatusBadge } from '../../components/StatusBadge'
import { isPast } from './credential-rows'
import { Section } from './Section'

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <div>{children}</div>
    </Stack>
  )
}

function Time({ at, none }: { at: number | null | undefined; none: string }) {
  if (at === null || at === undefined) return <Text size="sm">{none}</Text>
  return <Text size="sm">{formatTime(at)}</Text>
}

/** Who the client is: status, dates, expiry, last use, allowlist and metadata (the last three when served). */
export function IdentitySection({ client }: { client: ClientDetail }) {
  return (
    <Section title="Identity" testId="client-identity">
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
        <Field label="Status">
          <StatusBadge status={client.status} />
        </Field>
        <Field label="Created">
          <Time at={client.created_at} none="" />
        </Field>
        <Field label="Updated">
          <Time at={client.updated_at} none="" />
        </Field>
        <Field label="Expires">
          <Group gap={4} data-testid="client-expires">
            <Time at={client.expires_at} none="never" />
            {isPast(client.expires_at) && (
              <Badge size="xs" color="red" variant="light">
                expired
              </Badge>
            )}
          </Group>
        </Field>
        {client.last_used_at !== undefined && (
          <Field label="Last used">
            <Time at={client.last_used_at} none="never" />
          </Field>
        )}
        {client.ip_allowlist !== undefined && (
          <Field label="Client IP allowlist">
            {client.ip_allowlist === null ? (
              <Text size="sm">any IP</Text>
            ) : (
              <Group gap={4}>
                {client.ip_allowlist.map((entry) => (
                  <Code key={entry}>{entry}</Code>
                ))}
              </Group>
            )}
          </Field>
        )}
      </SimpleGrid>
      {client.metadata !== undefined && (
        <Field label="Metadata">
          {client.metadata === null ? (
            <Text size="sm" c="dimmed">
              none
            </Text>
          ) : (
            <Code block data-testid="client-metadata">
              {JSON.stringify(client.metadata, null, 2)}
            </Code>
          )}
        </Field>
      )}
    </Section>
  )
}
