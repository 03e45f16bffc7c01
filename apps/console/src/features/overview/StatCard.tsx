import { Anchor, Paper, Text } from '@mantine/core'
import type { ReactNode } from 'react'
import { Hint } from '../../components/Hint'

type Props = { label: string; value: ReactNode; detail?: ReactNode; href?: string }

export function StatCard({ label, value, detail, href }: Props) {
  return (
    <Paper withBorder p="md" radius="md">
      <Text size="xs" tt="uppercase" fw={700} c="dimmed">
        {href === undefined ? (
          label
        ) : (
          <Anchor href={href} inherit c="dimmed">
            {label}
          </Anchor>
        )}
      </Text>
      <Text fw={700} fz={32} data-testid={`stat-${label}`}>
        {value}
      </Text>
      <Hint size="xs">{detail}</Hint>
    </Paper>
  )
}
