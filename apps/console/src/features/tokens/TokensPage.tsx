import type { AdminTokenCreatedWire, AdminTokenWire } from '@gatekeeper/models'
import { Badge, Code, Loader, Text } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useConfirmedAction } from '../../app/confirmed-action'
import { queryKeys, screenLoad, useApiQuery } from '../../app/queries'
import { useAdminApi } from '../../app/services-context'
import { ConfirmAction } from '../../components/ConfirmModal'
import { CopyValue } from '../../components/CopyValue'
import { DataTable, RowButton } from '../../components/DataTable'
import { ErrorAlert } from '../../components/ErrorAlert'
import { FormPanel } from '../../components/FormPanel'
import { formatTime } from '../../components/format'
import { PageHeader } from '../../components/PageHeader'
import { ShownOnceModal } from '../../components/ShownOnceModal'
import { CreateTokenForm } from './CreateTokenForm'

type TokenState = 'active' | 'expired' | 'revoked'
const STATE_COLORS: Record<TokenState, string> = { active: 'teal', expired: 'gray', revoked: 'red' }

function tokenState(token: AdminTokenWire, nowSeconds: number): TokenState {
  if (token.revoked_at !== null) return 'revoked'
  if (token.expires_at !== null && token.expires_at <= nowSeconds) return 'expired'
  return 'active'
}

/** The raw token, once: the dialog closes only when the admin says they stored it. */
function TokenReveal({ created, onDismiss }: { created: AdminTokenCreatedWire; onDismiss(): void }) {
  return (
    <ShownOnceModal
      title={`Token ${created.name}`}
      alertTitle="Shown once: copy it now"
      alert="Gatekeeper stores only a hash of this token. Once you close this dialog it cannot be shown again; if it is lost, revoke it and create another."
      dismissLabel="I have stored it safely"
      onDismiss={onDismiss}
    >
      <CopyValue label="Admin token" value={created.token} />
      <Text size="sm" c="dimmed">
        Send it as <Code>Authorization: Bearer …</Code> to <Code>/api/admin/*</Code>.
      </Text>
    </ShownOnceModal>
  )
}

export function TokensPage() {
  const admin = useAdminApi()
  const queries = useQueryClient()
  const tokens = useApiQuery(queryKeys.tokens, () => admin.listTokens(), screenLoad)
  const reload = () => void queries.invalidateQueries({ queryKey: queryKeys.tokens })
  const [created, setCreated] = useState<AdminTokenCreatedWire | null>(null)
  const revoking = useConfirmedAction((target: AdminTokenWire) => admin.revokeToken(target.token_id), reload)
  const now = Math.floor(Date.now() / 1000)

  return (
    <>
      <PageHeader
        title="API tokens"
        description="Bearer tokens for the admin API, for automation and CI. Read tokens can only look; write tokens can change everything an admin can."
      />
      <FormPanel title="Create a token">
        <CreateTokenForm
          create={admin.createToken}
          onCreated={(value) => {
            setCreated(value)
            reload()
          }}
        />
      </FormPanel>
      <ErrorAlert error={tokens.error} title="Could not load tokens" onRetry={() => void tokens.refetch()} />
      <ErrorAlert error={revoking.error} title="The change was refused" />
      {tokens.data === undefined ? (
        tokens.isFetching && <Loader />
      ) : tokens.data.length === 0 ? (
        <Text c="dimmed">
          No API tokens yet. Create one above, or with <Code>gatekeeper admin token create</Code>.
        </Text>
      ) : (
        <DataTable
          minWidth={640}
          scrollType="scrollarea"
          rows={tokens.data}
          rowKey={(row) => row.token_id}
          columns={[
            { header: 'Name', cell: (row) => row.name },
            { header: 'Scope', cell: (row) => row.scope },
            {
              header: 'State',
              cell: (row) => {
                const state = tokenState(row, now)
                return (
                  <Badge color={STATE_COLORS[state]} variant="light">
                    {state}
                  </Badge>
                )
              },
            },
            { header: 'Token', cell: (row) => <Code>{row.token_masked}</Code> },
            { header: 'Expires', cell: (row) => <TimeText at={row.expires_at} /> },
            { header: 'Last used', cell: (row) => <TimeText at={row.last_used_at} /> },
            {
              key: 'actions',
              cell: (row) =>
                tokenState(row, now) !== 'revoked' && (
                  <RowButton
                    variant="subtle"
                    color="red"
                    onClick={() => revoking.ask(row)}
                    aria-label={`Revoke ${row.name}`}
                  >
                    Revoke
                  </RowButton>
                ),
            },
          ]}
        />
      )}
      {created !== null && <TokenReveal created={created} onDismiss={() => setCreated(null)} />}
      <ConfirmAction action={revoking} title="Revoke token" confirmLabel="Revoke">
        {(target) => <>Revoke {target.name}? Anything using it is refused from its next request.</>}
      </ConfirmAction>
    </>
  )
}

function TimeText({ at }: { at: number | null }) {
  return <Text size="xs">{at === null ? 'never' : formatTime(at)}</Text>
}
