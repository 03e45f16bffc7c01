import { Modal, Stack, Text } from '@mantine/core'
import { useRuntimeConfig } from '../../app/services-context'
import { LOCAL_ADMIN_LABEL, LocalModeNote } from './LocalSignIn'
import { SignInForm } from './SignInForm'

/**
 * Shown over the current screen when the admin API answers 401. The screen stays mounted underneath,
 * so its route and anything typed into its forms are still there after signing in again.
 */
export function SessionExpiredOverlay({ email }: { email: string }) {
  const config = useRuntimeConfig()
  // A local sign-in session ends for good: only a new link (no password) signs in again.
  const local = email === LOCAL_ADMIN_LABEL || config.aegisApiUrl === null
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
        {local ? <LocalModeNote aegis={config.aegisApiUrl !== null} /> : <SignInForm initialEmail={email} />}
      </Stack>
    </Modal>
  )
}
