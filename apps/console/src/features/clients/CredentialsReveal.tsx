import { Alert, Button, Modal, Stack, Text } from '@mantine/core'
import { CopyValue } from '../../components/CopyValue'

export type RevealedCredentials = {
  clientName: string
  apiKey?: string
  sharedSecret?: string
  /** Shown after a rotation with a grace period. */
  note?: string
}

type Props = { credentials: RevealedCredentials; onDismiss(): void }

/**
 * The only time a raw credential is on screen. The dialog cannot be closed by a stray click or Escape:
 * the admin confirms they stored the values, and then the console forgets them.
 */
export function CredentialsReveal({ credentials, onDismiss }: Props) {
  return (
    <Modal
      opened
      onClose={onDismiss}
      withCloseButton={false}
      closeOnClickOutside={false}
      closeOnEscape={false}
      title={`Credentials for ${credentials.clientName}`}
      size="lg"
      centered
    >
      <Stack>
        <Alert color="orange" title="Shown once: copy them now" role="alert">
          Gatekeeper stores only a hash of the API key and a sealed copy of the secret. Once you close this dialog these
          values cannot be shown again; if they are lost, rotate the credential.
        </Alert>
        {credentials.apiKey !== undefined && <CopyValue label="API key" value={credentials.apiKey} />}
        {credentials.sharedSecret !== undefined && <CopyValue label="Shared secret" value={credentials.sharedSecret} />}
        {credentials.note !== undefined && (
          <Text size="sm" c="dimmed">
            {credentials.note}
          </Text>
        )}
        <Button onClick={onDismiss}>I have stored them safely</Button>
      </Stack>
    </Modal>
  )
}
