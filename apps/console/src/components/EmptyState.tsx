import { Paper, Stack, Text } from '@mantine/core'
import type { ReactNode } from 'react'
import { CenterRow } from './CenterRow'
import { Hint } from './Hint'

type Props = { title: string; children?: ReactNode; actions?: ReactNode; testId?: string }

/** What an empty screen is for and what to do next, with the action that does it right there. */
export function EmptyState({ title, children, actions, testId }: Props) {
  return (
    <Paper withBorder radius="md" p="xl" my="md" style={{ borderStyle: 'dashed' }} data-testid={testId}>
      <Stack align="center" gap="xs" ta="center">
        <Text fw={600} size="lg" role="heading" aria-level={3}>
          {title}
        </Text>
        <Hint size="sm" maw={520}>
          {children}
        </Hint>
        <CenterRow mt="xs">{actions}</CenterRow>
      </Stack>
    </Paper>
  )
}
