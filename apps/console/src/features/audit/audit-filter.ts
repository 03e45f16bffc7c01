import type { AuditQuery } from '@gatekeeper/models'

export type AuditFilterValues = {
  actor: string
  entity_type: string
  entity_id: string
  action: string
  /** `datetime-local` input values (local time, no zone), '' when empty. */
  since: string
  until: string
}

export const EMPTY_FILTER: AuditFilterValues = {
  actor: '',
  entity_type: '',
  entity_id: '',
  action: '',
  since: '',
  until: '',
}

/** `2026-11-01T14:03` (local) → epoch seconds as text, for the query schema; unreadable text stays as is. */
function localToEpoch(value: string): string {
  if (value.trim() === '') return ''
  const millis = new Date(value).getTime()
  return Number.isNaN(millis) ? value : String(Math.floor(millis / 1000))
}

/** What the filter form hands to auditQuerySchema (which reads query-string shaped input). */
export function filterInput(values: AuditFilterValues, limit: number, offset: number): Record<string, string | number> {
  return {
    actor: values.actor,
    entity_type: values.entity_type,
    entity_id: values.entity_id,
    action: values.action,
    since: localToEpoch(values.since),
    until: localToEpoch(values.until),
    limit,
    offset,
  }
}

/** The validated query as URL parameters (absent filters left out). */
export function queryParams(query: AuditQuery): Partial<AuditQuery> {
  const params: Partial<AuditQuery> = { limit: query.limit, offset: query.offset }
  if (query.actor !== undefined) params.actor = query.actor
  if (query.entity_type !== undefined) params.entity_type = query.entity_type
  if (query.entity_id !== undefined) params.entity_id = query.entity_id
  if (query.action !== undefined) params.action = query.action
  if (query.since !== undefined) params.since = query.since
  if (query.until !== undefined) params.until = query.until
  return params
}
