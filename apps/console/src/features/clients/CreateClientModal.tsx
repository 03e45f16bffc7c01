import { type ClientCreatedWire, type ClientCreateInput, clientCreateSchema } from '@gatekeeper/models'
import { Button, Checkbox, Group, Modal, Stack, Text, TextInput } from '@mantine/core'
import { type FormEvent, useState } from 'react'
import { FormErrors } from '../../components/FormErrors'
import { useFormSubmit } from '../../forms/use-form-submit'
import { otherErrors, validate } from '../../forms/validate'

type Props = {
  create(body: ClientCreateInput): Promise<ClientCreatedWire>
  onCreated(client: ClientCreatedWire): void
  onClose(): void
}

export function CreateClientModal({ create, onCreated, onClose }: Props) {
  const [name, setName] = useState('')
  const [apiKey, setApiKey] = useState(true)
  const [sharedSecret, setSharedSecret] = useState(false)
  const [expires, setExpires] = useState('')
  const form = useFormSubmit(create, onCreated)

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    const body: Record<string, unknown> = { client_name: name, api_key: apiKey, shared_secret: sharedSecret }
    // datetime-local has no zone: the browser reads it as local time, as the label says.
    if (expires !== '') body.expires_at = Math.floor(new Date(expires).getTime() / 1000)
    void form.submit(validate(clientCreateSchema, body))
  }

  return (
    <Modal opened onClose={onClose} title="New client" centered>
      <form onSubmit={onSubmit} noValidate aria-label="Create client">
        <Stack>
          <FormErrors formError={form.formError} messages={otherErrors(form.errors, ['client_name', 'expires_at'])} />
          <TextInput
            label="Client name"
            description="Who calls the API with these credentials, e.g. billing-service."
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={form.errors.client_name}
            data-autofocus
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Credentials to generate
            </Text>
            <Checkbox
              label="API key (for routes using API key auth)"
              checked={apiKey}
              onChange={(e) => setApiKey(e.currentTarget.checked)}
            />
            <Checkbox
              label="Shared secret (for HMAC-signed requests)"
              checked={sharedSecret}
              onChange={(e) => setSharedSecret(e.currentTarget.checked)}
            />
          </Stack>
          <TextInput
            type="datetime-local"
            label="Expires (optional, your local time)"
            description="From this moment authz refuses every request of the client (401 client_expired)."
            value={expires}
            onChange={(e) => setExpires(e.currentTarget.value)}
            error={form.errors.expires_at}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              Create client
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
