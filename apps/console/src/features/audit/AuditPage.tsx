import { type AuditEntryWire, type AuditQuery, auditQuerySchema } from '@gatekeeper/models'
import { Button, Center, Loader } from '@mantine/core'
import { useState } from 'react'
import { queryKeys, screenLoad, useApiQuery } from '../../app/queries'
import { useAdminApi } from '../../app/services-context'
import { EmptyState } from '../../components/EmptyState'
import { ErrorAlert } from '../../components/ErrorAlert'
import { FormErrors } from '../../components/FormErrors'
import { PageHeader } from '../../components/PageHeader'
import { type FieldErrors, otherErrors, validate } from '../../forms/validate'
import { useHashQuery } from '../../router/hash-location'
import { AuditFilters } from './AuditFilters'
import { AuditTable } from './AuditTable'
import { type AuditFilterValues, EMPTY_FILTER, filterInput, queryParams } from './audit-filter'

const PAGE = 50
const FILTER_FIELDS = ['actor', 'entity_type', 'entity_id', 'action', 'since', 'until']

function firstQuery(initial: AuditFilterValues): AuditQuery {
  const checked = validate(auditQuerySchema, filterInput(initial, PAGE, 0))
  if (checked.ok) return checked.data
  const empty = validate(auditQuerySchema, filterInput(EMPTY_FILTER, PAGE, 0))
  if (!empty.ok) throw new Error('the empty audit filter must be valid')
  return empty.data
}

export function AuditPage() {
  const admin = useAdminApi()
  const admins = useApiQuery(queryKeys.admins, () => admin.listAdmins(), screenLoad)
  // `#/audit?entity_id=<id>` (the client page's link) opens with that filter applied.
  const entityId = useHashQuery().get('entity_id') ?? ''
  const [initial] = useState<AuditFilterValues>(() => ({ ...EMPTY_FILTER, entity_id: entityId }))
  const [query, setQuery] = useState<AuditQuery>(() => firstQuery(initial))
  const [errors, setErrors] = useState<FieldErrors>({})
  const [earlier, setEarlier] = useState<ReadonlyArray<AuditEntryWire>>([])
  const page = useApiQuery(queryKeys.audit(query), () => admin.listAudit(queryParams(query)), screenLoad)

  const apply = (values: AuditFilterValues) => {
    const checked = validate(auditQuerySchema, filterInput(values, PAGE, 0))
    setErrors(checked.ok ? {} : checked.errors)
    if (checked.ok) {
      setEarlier([])
      setQuery(checked.data)
    }
  }

  const loadMore = () => {
    setEarlier((current) => [...current, ...(page.data ?? [])])
    setQuery((current) => ({ ...current, offset: current.offset + current.limit }))
  }

  const entries = [...earlier, ...(page.data ?? [])]
  return (
    <>
      <PageHeader title="Audit log" description="Every change made through the console, the API and the CLI." />
      <AuditFilters
        initial={initial}
        admins={(admins.data ?? []).map((row) => row.email)}
        errors={errors}
        onApply={apply}
      />
      <FormErrors formError={null} messages={otherErrors(errors, FILTER_FIELDS)} />
      <ErrorAlert error={page.error} title="Could not load the audit log" onRetry={() => void page.refetch()} />
      {entries.length > 0 && <AuditTable entries={entries} />}
      {page.isFetching && (
        <Center my="md">
          <Loader size="sm" />
        </Center>
      )}
      {!page.isFetching && entries.length === 0 && page.error === null && (
        <EmptyState title="No audit entries match" testId="empty-audit">
          Every change made in the console, through the admin API or with the CLI is recorded here, with who made it.
          Widen the filters above, or make a change and come back.
        </EmptyState>
      )}
      {!page.isFetching && (page.data?.length ?? 0) === query.limit && (
        <Center my="md">
          <Button variant="light" onClick={loadMore}>
            Load older entries
          </Button>
        </Center>
      )}
    </>
  )
}
