import { type ClientWire, type CredentialKind, rotateCredentialSchema } from '@gatekeeper/models'
import { NumberInput, SegmentedControl, Select, Text } from '@mantine/core'
import { useState } from 'react'
import type { AdminApi } from '../../api/admin'
import { FormModal } from '../../forms/SchemaFormFrame'
import { useSchemaForm } from '../../forms/use-schema-form'
import { CredentialsReveal, type RevealedCredentials } from './CredentialsReveal'

type Props = {
  client: ClientWire
  /** The kind to rotate, preselected (the client page rotates the credential of its row). */
  credential?: CredentialKind
  rotate: AdminApi['rotateCredential']
  onRotated(revealed: RevealedCredentials): void
  onClose(): void
}

const GRACE_PRESETS = [
  { value: '0', label: 'None: the old value stops working now' },
  { value: '300', label: '5 minutes' },
  { value: '3600', label: '1 hour' },
  { value: '86400', label: '24 hours' },
  { value: '604800', label: '7 days' },
  { value: 'custom', label: 'Custom (seconds)' },
]

function graceText(seconds: number): string {
  if (seconds === 0) return 'The previous value no longer works.'
  const until = new Date(Date.now() + seconds * 1000).toLocaleString()
  return `The previous value keeps working until about ${until}; deploy the new one before then.`
}

function RotateModal({ client, credential: initial, rotate, onRotated, onClose }: Props) {
  const form = useSchemaForm({
    initialValues: {
      credential: initial ?? ((client.api_key_masked === null ? 'shared_secret' : 'api_key') as CredentialKind),
      preset: '3600',
      custom: 600 as number | string,
    },
    schema: rotateCredentialSchema,
    toInput: ({ credential, preset, custom }) => {
      const graceSeconds = preset === 'custom' ? custom : Number(preset)
      return { credential, grace_seconds: typeof graceSeconds === 'number' ? graceSeconds : Number.NaN }
    },
    send: async (body) => {
      const result = await rotate(client.client_id, body)
      if (result.value === null) throw new Error('the server did not return the new value')
      const revealed: RevealedCredentials = {
        clientName: client.client_name,
        note: graceText(body.grace_seconds),
        ...(body.credential === 'api_key' ? { apiKey: result.value } : { sharedSecret: result.value }),
      }
      return revealed
    },
    onDone: onRotated,
  })
  const { credential, preset, custom } = form.form.values

  return (
    <FormModal
      title={`Rotate a credential of ${client.client_name}`}
      label="Rotate credential"
      form={form}
      fields={['grace_seconds']}
      submitLabel="Rotate"
      submitColor="orange"
      onClose={onClose}
    >
      <SegmentedControl
        value={credential}
        onChange={(value) =>
          form.form.setFieldValue('credential', value === 'shared_secret' ? 'shared_secret' : 'api_key')
        }
        data={[
          { value: 'api_key', label: 'API key' },
          { value: 'shared_secret', label: 'Shared secret' },
        ]}
      />
      <Select
        label="Grace period"
        description="How long the previous value keeps working, so callers can switch without downtime."
        data={GRACE_PRESETS}
        value={preset}
        onChange={(value) => form.form.setFieldValue('preset', value ?? '0')}
        allowDeselect={false}
        error={preset === 'custom' ? undefined : form.errors.grace_seconds}
      />
      {preset === 'custom' && (
        <NumberInput
          label="Grace period in seconds"
          value={custom}
          onChange={(value) => form.form.setFieldValue('custom', value)}
          min={0}
          allowDecimal={false}
          error={form.errors.grace_seconds}
        />
      )}
      <Text size="sm" c="dimmed">
        The new value is shown once.
      </Text>
    </FormModal>
  )
}

type FlowProps = Omit<Props, 'onRotated'> & { onRotated(): void }

/** Rotation, then the new value shown once in the rotation dialog's place; `onClose` once it is stored. */
export function RotateAndReveal({ onRotated, onClose, ...rotation }: FlowProps) {
  const [revealed, setRevealed] = useState<RevealedCredentials | null>(null)
  if (revealed !== null) return <CredentialsReveal credentials={revealed} onDismiss={onClose} />
  return (
    <RotateModal
      {...rotation}
      onClose={onClose}
      onRotated={(values) => {
        setRevealed(values)
        onRotated()
      }}
    />
  )
}
