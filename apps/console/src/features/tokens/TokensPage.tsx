import type { AdminTokenCreatedWire, AdminTokenWire } from '@gatekeeper/models'
import { Alert, Badge, Button, Code, Loader, Modal, Paper, Stack, Table, Text } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { type ApiRequestError, asApiError } from '../../api/errors'
import { queryKeys, screenLoad, useApiQuery } from '../../app/queries'
import { useAdminApi } from '../../app/services-context'
import { ConfirmModal } from '../../components/ConfirmModal'
import { CopyValue } from '../../components/CopyValue'
import { ErrorAlert } from '../../components/ErrorAlert'
import { formatTime } from '../../components/format'
import { PageHeader } from '../../components/PageHeader'
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
    <Modal
      opened
      onClose={onDismiss}
      withCloseButton={false}
      closeOnClickOutside={false}
      closeOnEscape={false}
      title={`Token ${created.name}`}
      size="lg"
      centered
    >
      <Stack>
        <Alert color="orange" title="Shown once: copy it now" role="alert">
          Gatekeeper stores only a hash of this token. Once you close this dialog it cannot be shown again; if it is
          lost, revoke it and create another.
        </Alert>
        <CopyValue label="Admin token" value={created.token} />
        <Text size="sm" c="dimmed">
          Send it as <Code>Authorization: Bearer …</Code> to <Code>/api/admin/*</Code>.
        </Text>
        <Button onClick={onDismiss}>I have stored it safely</Button>
      </Stack>
    </Modal>
  )
}

export function TokensPage() {
  const admin = useAdminApi()
  const queries = useQueryClient()
  const tokens = useApiQuery(queryKeys.tokens, () => admin.listTokens(), screenLoad)
  const reload = () => void queries.invalidateQueries({ queryKey: queryKeys.tokens })
  const [created, setCreated] = useState<AdminTokenCreatedWire | null>(null)
  const [revoking, setRevoking] = useState<AdminTokenWire | null>(null)
  const [error, setError] = useState<ApiRequestError | null>(null)
  const now = Math.floor(Date.now() / 1000)

  const revoke = async (target: AdminTokenWire) => {
    setRevoking(null)
    setError(null)
    try {
      await admin.revokeToken(target.token_id)
      reload()
    } catch (failure) {
      setError(asApiError(failure))
    }
  }

  return (
    <>
      <PageHeader
        title="API tokens"
        description="Bearer tokens for the admin API, for automation and CI. Read tokens can only look; write tokens can change everything an admin can."
      />
      <Paper withBorder p="md" mb="md">
        <Text size="sm" fw={500}>
          Create a token
        </Text>
        <CreateTokenForm
          create={admin.createToken}
          onCreated={(value) => {
            setCreated(value)
            reload()
          }}
        />
      </Paper>
      <ErrorAlert error={tokens.error} title="Could not load tokens" onRetry={() => void tokens.refetch()} />
      <ErrorAlert error={error} title="The change was refused" />
      {tokens.data === undefined ? (
        tokens.isFetching && <Loader />
      ) : tokens.data.length === 0 ? (
        <Text c="dimmed">
          No API tokens yet. Create one above, or with <Code>gatekeeper admin token create</Code>.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Scope</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Token</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.data.map((row) => {
                const state = tokenState(row, now)
                return (
                  <Table.Tr key={row.token_id}>
                    <Table.Td>{row.name}</Table.Td>
                    <Table.Td>{row.scope}</Table.Td>
                    <Table.Td>
                      <Badge color={STATE_COLORS[state]} variant="light">
                        {state}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Code>{row.token_masked}</Code>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs">{row.expires_at === null ? 'never' : formatTime(row.expires_at)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs">{row.last_used_at === null ? 'never' : formatTime(row.last_used_at)}</Text>
                    </Table.Td>
                    <Table.Td>
                      {state !== 'revoked' && (
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          color="red"
                          onClick={() => setRevoking(row)}
                          aria-label={`Revoke ${row.name}`}
                        >
                          Revoke
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                )
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {created !== null && <TokenReveal created={created} onDismiss={() => setCreated(null)} />}
      {revoking !== null && (
        <ConfirmModal
          opened
          title="Revoke token"
          confirmLabel="Revoke"
          onConfirm={() => void revoke(revoking)}
          onClose={() => setRevoking(null)}
        >
          <Text size="sm">Revoke {revoking.name}? Anything using it is refused from its next request.</Text>
        </ConfirmModal>
      )}
    </>
  )
}
