import { Paper, Text } from '@mantine/core'
import type { ReactNode } from 'react'

/** A list screen's form for adding to the list, above the list. */
export function FormPanel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" mb="md">
      <Text size="sm" fw={500}>
        {title}
      </Text>
      {children}
    </Paper>
  )
}
