import { Alert, Button, Group, Text } from '@mantine/core'
import type { ApiRequestError } from '../api/errors'

type Props = { error: ApiRequestError | null; title?: string; onRetry?: () => void }

/** A failed load or action. An ended session says only that: the sign-in overlay handles it. */
export function ErrorAlert({ error, title = 'Something went wrong', onRetry }: Props) {
  if (error === null) return null
  const ended = error.sessionEnded
  const message = ended ? 'Your session expired; sign in again to continue.' : error.message
  return (
    <Alert color={ended ? 'yellow' : 'red'} title={ended ? 'Signed out' : title}>
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">{message}</Text>
        {onRetry !== undefined && !ended && (
          <Button size="xs" variant="light" onClick={onRetry}>
            Retry
          </Button>
        )}
      </Group>
    </Alert>
  )
}
