import { Group, Paper, Stack, Title } from '@mantine/core'
import type { ReactNode } from 'react'
import { Hint } from '../../components/Hint'

type Props = { title: string; testId: string; actions?: ReactNode; note?: string | undefined; children: ReactNode }

/** One titled block of the client page. */
export function Section({ title, testId, actions, note, children }: Props) {
  return (
    <Paper withBorder radius="md" p="md" data-testid={testId} component="section" aria-label={title}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Title order={4}>{title}</Title>
          {actions}
        </Group>
        <Hint size="xs">{note}</Hint>
        {children}
      </Stack>
    </Paper>
  )
}
