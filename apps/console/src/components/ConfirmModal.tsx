import { Button, Group, Modal, Stack, Text } from '@mantine/core'
import type { ReactNode } from 'react'
import type { ConfirmedAction } from '../app/confirmed-action'

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

type ConfirmActionProps<T> = {
  action: ConfirmedAction<T>
  title: string | ((target: T) => string)
  confirmLabel: string
  /** What the change does to this record, in a sentence or two. */
  children(target: T): ReactNode
}

/** The confirm dialog of a useConfirmedAction, open while it asks about a record. */
export function ConfirmAction<T>({ action, title, confirmLabel, children }: ConfirmActionProps<T>) {
  const { target } = action
  if (target === null) return null
  return (
    <ConfirmModal
      opened
      title={typeof title === 'string' ? title : title(target)}
      confirmLabel={confirmLabel}
      busy={action.running !== null}
      onConfirm={action.confirm}
      onClose={action.cancel}
    >
      <Text size="sm">{children(target)}</Text>
    </ConfirmModal>
  )
}
