import { Modal, Stack, Text } from '@mantine/core'
import { SignInForm } from './SignInForm'

/**
 * Shown over the current screen when the admin API answers 401. The screen stays mounted underneath,
 * so its route and anything typed into its forms are still there after signing in again.
 */
export function SessionExpiredOverlay({ email }: { email: string }) {
  return (
    <Modal
      opened
      onClose={() => undefined}
      withCloseButton={false}
      closeOnClickOutside={false}
      closeOnEscape={false}
      title="Session expired"
      centered
      overlayProps={{ backgroundOpacity: 0.6, blur: 2 }}
    >
      <Stack>
        <Text size="sm">Sign in again to continue where you left off. Nothing you entered has been lost.</Text>
        <SignInForm initialEmail={email} />
      </Stack>
    </Modal>
  )
}
