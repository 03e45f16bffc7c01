import { Anchor, Center, Group, Paper, Stack, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'
import { consoleTitle } from '../../api/config'
import { useRuntimeConfig } from '../../app/services-context'

type Props = { title: string; children: ReactNode; footer?: ReactNode }

export function AuthLayout({ title, children, footer }: Props) {
  const config = useRuntimeConfig()
  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Stack w={400} maw="100%">
        <Stack gap={0} align="center">
          <Text c="dimmed" size="sm" data-testid="console-title">
            {consoleTitle(config)}
          </Text>
          <Title order={2}>{title}</Title>
        </Stack>
        <Paper withBorder shadow="sm" p="lg" radius="md">
          {children}
        </Paper>
        {footer !== undefined && (
          <Group justify="center" gap="lg">
            {footer}
          </Group>
        )}
      </Stack>
    </Center>
  )
}

export function AuthLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Anchor href={`#${to}`} size="sm">
      {children}
    </Anchor>
  )
}
