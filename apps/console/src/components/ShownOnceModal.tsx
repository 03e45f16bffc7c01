import { Alert, Button, Modal, Stack } from '@mantine/core'
import type { ReactNode } from 'react'

type Props = {
  title: string
  /** The alert's title and text: what is kept of the value, and what to do once it is lost. */
  alertTitle: string
  alert: ReactNode
  dismissLabel: string
  onDismiss(): void
  /** The values (CopyValue) and any note under them. */
  children: ReactNode
}

/**
 * The only time a raw secret is on screen. The dialog cannot be closed by a stray click or Escape:
 * the admin confirms they stored the value, and then the console forgets it.
 */
export function ShownOnceModal({ title, alertTitle, alert, dismissLabel, onDismiss, children }: Props) {
  return (
    <Modal
      opened
      onClose={onDismiss}
      withCloseButton={false}
      closeOnClickOutside={false}
      closeOnEscape={false}
      title={title}
      size="lg"
      centered
    >
      <Stack>
        <Alert color="orange" title={alertTitle} role="alert">
          {alert}
        </Alert>
        {children}
        <Button onClick={onDismiss}>{dismissLabel}</Button>
      </Stack>
    </Modal>
  )
}
