import { CopyValue } from '../../components/CopyValue'
import { Hint } from '../../components/Hint'
import { ShownOnceModal } from '../../components/ShownOnceModal'

export type RevealedCredentials = {
  clientName: string
  apiKey?: string
  sharedSecret?: string
  /** Shown after a rotation with a grace period. */
  note?: string
}

type Props = { credentials: RevealedCredentials; onDismiss(): void }

/** A new client's or a rotation's raw credentials, shown once. */
export function CredentialsReveal({ credentials, onDismiss }: Props) {
  return (
    <ShownOnceModal
      title={`Credentials for ${credentials.clientName}`}
      alertTitle="Shown once: copy them now"
      alert="Gatekeeper stores only a hash of the API key and a sealed copy of the secret. Once you close this dialog these values cannot be shown again; if they are lost, rotate the credential."
      dismissLabel="I have stored them safely"
      onDismiss={onDismiss}
    >
      {credentials.apiKey !== undefined && <CopyValue label="API key" value={credentials.apiKey} />}
      {credentials.sharedSecret !== undefined && <CopyValue label="Shared secret" value={credentials.sharedSecret} />}
      <Hint size="sm">{credentials.note}</Hint>
    </ShownOnceModal>
  )
}
