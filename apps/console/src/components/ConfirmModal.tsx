import { Button, Group, Modal, Stack } from '@mantine/core'
import type { ReactNode } from 'react'

type Props = {
  opened: boolean
  title: string
  confirmLabel: string
  color?: string
  busy?: boolean
  onConfirm(): void
  onClose(): void
  children: ReactNode
}

export function ConfirmModal({
  opened,
  title,
  confirmLabel,
  color = 'red',
  busy,
  onConfirm,
  onClose,
  children,
}: Props) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered>
      <Stack>
        {children}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color={color} loading={busy} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}
