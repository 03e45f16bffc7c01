import { type ClientWire, type CredentialKind, rotateCredentialSchema } from '@gatekeeper/models'
import { Button, Group, Modal, NumberInput, SegmentedControl, Select, Stack, Text } from '@mantine/core'
import { type FormEvent, useState } from 'react'
import type { AdminApi } from '../../api/admin'
import { FormErrors } from '../../components/FormErrors'
import { useFormSubmit } from '../../forms/use-form-submit'
import { otherErrors, validate } from '../../forms/validate'
import type { RevealedCredentials } from './CredentialsReveal'

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

export function RotateModal({ client, credential: initial, rotate, onRotated, onClose }: Props) {
  const [credential, setCredential] = useState<CredentialKind>(
    initial ?? (client.api_key_masked === null ? 'shared_secret' : 'api_key'),
  )
  const [preset, setPreset] = useState('3600')
  const [custom, setCustom] = useState<number | string>(600)
  const graceSeconds = preset === 'custom' ? custom : Number(preset)

  const form = useFormSubmit(async (body: { credential: CredentialKind; grace_seconds: number }) => {
    const result = await rotate(client.client_id, body)
    if (result.value === null) throw new Error('the server did not return the new value')
    const revealed: RevealedCredentials = {
      clientName: client.client_name,
      note: graceText(body.grace_seconds),
      ...(body.credential === 'api_key' ? { apiKey: result.value } : { sharedSecret: result.value }),
    }
    return revealed
  }, onRotated)

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    void form.submit(
      validate(rotateCredentialSchema, {
        credential,
        grace_seconds: typeof graceSeconds === 'number' ? graceSeconds : Number.NaN,
      }),
    )
  }

  return (
    <Modal opened onClose={onClose} title={`Rotate a credential of ${client.client_name}`} centered>
      <form onSubmit={onSubmit} noValidate aria-label="Rotate credential">
        <Stack>
          <FormErrors formError={form.formError} messages={otherErrors(form.errors, ['grace_seconds'])} />
          <SegmentedControl
            value={credential}
            onChange={(value) => setCredential(value === 'shared_secret' ? 'shared_secret' : 'api_key')}
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
            onChange={(value) => setPreset(value ?? '0')}
            allowDeselect={false}
            error={preset === 'custom' ? undefined : form.errors.grace_seconds}
          />
          {preset === 'custom' && (
            <NumberInput
              label="Grace period in seconds"
              value={custom}
              onChange={setCustom}
              min={0}
              allowDecimal={false}
              error={form.errors.grace_seconds}
            />
          )}
          <Text size="sm" c="dimmed">
            The new value is shown once.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="orange" loading={form.submitting}>
              Rotate
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
