import { Alert, Button, Group, Text } from '@mantine/core'
import type { ApiRequestError } from '../api/errors'

type Props = { error: ApiRequestError | null; title?: string; onRetry?: () => void }

/** A failed load or action. A 401 says only that the session expired: the sign-in overlay handles it. */
export function ErrorAlert({ error, title = 'Something went wrong', onRetry }: Props) {
  if (error === null) return null
  const message = error.isUnauthorized ? 'Your session expired; sign in again to continue.' : error.message
  return (
    <Alert color={error.isUnauthorized ? 'yellow' : 'red'} title={error.isUnauthorized ? 'Signed out' : title}>
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">{message}</Text>
        {onRetry !== undefined && !error.isUnauthorized && (
          <Button size="xs" variant="light" onClick={onRetry}>
            Retry
          </Button>
        )}
      </Group>
    </Alert>
  )
}
