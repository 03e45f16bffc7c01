import { Anchor, Button, Loader, Stack } from '@mantine/core'
import type { UseQueryResult } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import type { ApiRequestError } from '../api/errors'
import { navigate } from '../router/hash-location'
import { EmptyState } from './EmptyState'
import { ErrorAlert } from './ErrorAlert'

/** The list a record's page belongs to (`{ path: '/clients', label: 'Clients' }`). */
export type ListRef = { path: string; label: string }

/** The way back from a record's page to its list. */
export function BackLink({ to }: { to: ListRef }) {
  return (
    <Anchor href={`#${to.path}`} size="sm">
      ← {to.label}
    </Anchor>
  )
}

type Props = {
  load: UseQueryResult<unknown, ApiRequestError>
  /** What the record is, in the screen's words ("client", "change set"). */
  what: string
  back: ListRef
  testId: string
  /** Why there may be no such record. */
  children: ReactNode
}

/** A record's page until its record is there: loading, not found (404), or failed with Retry. */
export function DetailPending({ load, what, back, testId, children }: Props) {
  if (load.error?.status === 404) {
    return (
      <EmptyState
        title={`No such ${what}`}
        testId={testId}
        actions={<Button onClick={() => navigate(back.path)}>Back to {back.label.toLowerCase()}</Button>}
      >
        {children}
      </EmptyState>
    )
  }
  return (
    <Stack>
      <BackLink to={back} />
      <ErrorAlert error={load.error} title={`Could not load the ${what}`} onRetry={() => void load.refetch()} />
      {load.error === null && <Loader />}
    </Stack>
  )
}
