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
  const form = useFormSubmit(create, onCreated)

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    void form.submit(validate(clientCreateSchema, { client_name: name, api_key: apiKey, shared_secret: sharedSecret }))
  }

  return (
    <Modal opened onClose={onClose} title="New client" centered>
      <form onSubmit={onSubmit} noValidate aria-label="Create client">
        <Stack>
          <FormErrors formError={form.formError} messages={otherErrors(form.errors, ['client_name'])} />
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
