import { Badge, Code, Group, Stack, Text } from '@mantine/core'
import { useState } from 'react'
import type { AdminApi } from '../../api/admin'
import type { ClientDetail, CredentialUpdateInput } from '../../api/lifecycle'
import { useConfirmedAction } from '../../app/confirmed-action'
import { ConfirmAction } from '../../components/ConfirmModal'
import { DataTable } from '../../components/DataTable'
import { ErrorAlert } from '../../components/ErrorAlert'
import { formatTime } from '../../components/format'
import { RotateAndReveal } from '../clients/RotateModal'
import { type CredentialRow, credentialRows, isPast, KIND_LABEL } from './credential-rows'
import { ExpiryEditModal } from './ExpiryEditModal'
import { Section } from './Section'

type Props = { client: ClientDetail; admin: AdminApi; onChanged(): void }

function TimeCell({
  at,
  none = 'never',
  pastBadge,
}: {
  at: number | null | undefined
  none?: string
  pastBadge?: string
}) {
  if (at === undefined)
    return (
      <Text size="xs" c="dimmed">
        not tracked
      </Text>
    )
  if (at === null)
    return (
      <Text size="xs" c="dimmed">
        {none}
      </Text>
    )
  return (
    <Group gap={4} wrap="nowrap">
      <Text size="xs">{formatTime(at)}</Text>
      {pastBadge !== undefined && isPast(at) && (
        <Badge size="xs" color="red" variant="light">
          {pastBadge}
        </Badge>
      )}
    </Group>
  )
}

/** A credential's own list narrows its client's; without one, the client's list (or any IP) applies. */
function AllowlistCell({ list, client }: { list: CredentialRow['ipAllowlist']; client: ClientDetail }) {
  if (list === undefined || list === null) {
    const inherited = client.ip_allowlist !== undefined && client.ip_allowlist !== null
    return (
      <Text size="xs" c="dimmed">
        {inherited ? "client's list" : 'any IP'}
      </Text>
    )
  }
  return (
    <Stack gap={2}>
      {list.map((entry) => (
        <Code key={entry}>{entry}</Code>
      ))}
    </Stack>
  )
}

function CredentialCell({ row }: { row: CredentialRow }) {
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm" fw={500}>
        {KIND_LABEL[row.kind]}
      </Text>
      {row.prefix !== null && <Code>{row.prefix}</Code>}
      {row.state === 'previous' && (
        <Badge size="xs" variant="light" color="gray" miw="max-content">
          previous
        </Badge>
      )}
    </Group>
  )
}

const label = (row: CredentialRow) => `${KIND_LABEL[row.kind]}${row.prefix === null ? '' : ` ${row.prefix}`}`

/** The client's API keys and HMAC secrets, with expiry, last use and allowlist; edit, rotate and revoke each. */
export function CredentialsSection({ client, admin, onChanged }: Props) {
  const { source, rows } = credentialRows(client)
  const [editing, setEditing] = useState<CredentialRow | null>(null)
  const [rotating, setRotating] = useState<CredentialRow | null>(null)

  // A credential record is changed on its own; a row from the summary fields through the client's expiry fields.
  const save = (row: CredentialRow, body: CredentialUpdateInput) =>
    row.credentialId === null
      ? admin.updateClient(client.client_id, {
          [row.kind === 'api_key' ? 'api_key_expires_at' : 'shared_secret_expires_at']: body.expires_at ?? null,
          ...(client.version === undefined ? {} : { version: client.version }),
        })
      : admin.updateCredential(client.client_id, row.credentialId, body)
  const revoking = useConfirmedAction(
    (row: CredentialRow) => save(row, { expires_at: Math.floor(Date.now() / 1000) }),
    onChanged,
    { waitInDialog: true },
  )

  return (
    <Section
      title="Credentials"
      testId="client-credentials"
      note={
        source === 'summary'
          ? 'This console-api reports only the current credential of each kind; last use and per-credential allowlists are not shown.'
          : undefined
      }
    >
      <ErrorAlert error={revoking.error} title="The change was refused" />
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          No credentials.
        </Text>
      ) : (
        <DataTable
          minWidth={860}
          styles={{ td: { whiteSpace: 'nowrap', verticalAlign: 'top' } }}
          rows={rows}
          rowKey={(row) => row.key}
          rowTestId={(row) => `credential-${row.kind}-${row.state}`}
          actions={(row) => [
            { label: 'Edit', onClick: () => setEditing(row) },
            row.state === 'current' && { label: 'Rotate', color: 'orange', onClick: () => setRotating(row) },
            !isPast(row.expiresAt) && { label: 'Revoke', color: 'red', subtle: true, onClick: () => revoking.ask(row) },
          ]}
          columns={[
            { header: 'Credential', cell: (row) => <CredentialCell row={row} /> },
            { header: 'Created', cell: (row) => <TimeCell at={row.createdAt ?? undefined} /> },
            {
              header: 'Expires',
              testId: 'credential-expires',
              cell: (row) => <TimeCell at={row.expiresAt} pastBadge="expired" />,
            },
            {
              header: 'Last used',
              testId: 'credential-last-used',
              cell: (row) => <TimeCell at={row.lastUsedAt} none="never" />,
            },
            {
              header: 'IP allowlist',
              testId: 'credential-allowlist',
              cell: (row) => <AllowlistCell list={row.ipAllowlist} client={client} />,
            },
          ]}
        />
      )}
      {editing !== null && (
        <ExpiryEditModal
          title={`Edit ${label(editing)}`}
          expiryHelp="From this moment authz refuses the credential (401 credential_expired)."
          expiresAt={editing.expiresAt}
          ipAllowlist={editing.ipAllowlist}
          save={(body) => save(editing, body)}
          onSaved={onChanged}
          onClose={() => setEditing(null)}
        />
      )}
      <ConfirmAction action={revoking} title="Revoke credential" confirmLabel="Revoke now">
        {(row) => (
          <>
            Revoke the {label(row)} of {client.client_name}? authz refuses it from this second (401 credential_expired).
            The record stays: clearing its expiry lets it work again.
          </>
        )}
      </ConfirmAction>
      {rotating !== null && (
        <RotateAndReveal
          client={client}
          credential={rotating.kind}
          rotate={admin.rotateCredential}
          onRotated={onChanged}
          onClose={() => setRotating(null)}
        />
      )}
    </Section>
  )
}
