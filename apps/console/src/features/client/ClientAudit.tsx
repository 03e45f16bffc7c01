import { Anchor, Loader, Text } from '@mantine/core'
import type { AdminApi } from '../../api/admin'
import { queryKeys, useApiQuery } from '../../app/queries'
import { ErrorAlert } from '../../components/ErrorAlert'
import { AuditTable } from '../audit/AuditTable'
import { Section } from './Section'

const RECENT = 20

/** The latest admin changes to the client and its rate limit (audit entries whose entity id is the client's). */
export function ClientAudit({ clientId, admin }: { clientId: string; admin: AdminApi }) {
  const audit = useApiQuery(queryKeys.clientAudit(clientId), () =>
    admin.listAudit({ entity_id: clientId, limit: RECENT, offset: 0 }),
  )
  if (audit.error?.isMissingEndpoint) return null
  return (
    <Section
      title="Recent admin changes"
      testId="client-audit"
      actions={
        <Anchor href={`#/audit?entity_id=${encodeURIComponent(clientId)}`} size="sm">
          Audit log
        </Anchor>
      }
    >
      <ErrorAlert error={audit.error} title="Could not load the audit log" onRetry={() => void audit.refetch()} />
      {audit.data === undefined ? (
        audit.error === null && <Loader size="sm" />
      ) : audit.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          No changes recorded.
        </Text>
      ) : (
        <AuditTable entries={audit.data} />
      )}
    </Section>
  )
}
