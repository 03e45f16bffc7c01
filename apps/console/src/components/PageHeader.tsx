import { Group, Stack, Title } from '@mantine/core'
import type { ReactNode } from 'react'
import { Hint } from './Hint'

type Props = { title: string; description?: string; actions?: ReactNode }

export function PageHeader({ title, description, actions }: Props) {
  return (
    <Group justify="space-between" align="flex-start" mb="md">
      <Stack gap={2}>
        <Title order={2}>{title}</Title>
        <Hint size="sm">{description}</Hint>
      </Stack>
      {actions}
    </Group>
  )
}
