import { Anchor, Group, Loader, Paper, Text, Title } from '@mantine/core'
import type { UseQueryResult } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import type { ApiRequestError } from '../../api/errors'

type Props<T> = {
  title: string
  /** The screen with the whole story, linked beside the title. */
  link?: { href: string; label: string }
  load: UseQueryResult<T, ApiRequestError>
  /** Said when this console-api has no such endpoint (an older or partial deployment). */
  unavailable: string
  children(data: T): ReactNode
}

/** A panel of the overview: a glance at one thing, quiet when it cannot be loaded (the overview has no Retry). */
export function OverviewPanel<T>({ title, link, load, unavailable, children }: Props<T>) {
  return (
    <Paper withBorder p="md" radius="md">
      {link === undefined ? (
        <Title order={4} mb="xs">
          {title}
        </Title>
      ) : (
        <Group justify="space-between" mb="xs">
          <Title order={4}>{title}</Title>
          <Anchor href={link.href} size="sm">
            {link.label}
          </Anchor>
        </Group>
      )}
      {load.data === undefined ? (
        load.error === null ? (
          <Loader size="sm" />
        ) : (
          <Text size="sm" c="dimmed">
            {load.error.isMissingEndpoint ? unavailable : load.error.message}
          </Text>
        )
      ) : (
        children(load.data)
      )}
    </Paper>
  )
}
