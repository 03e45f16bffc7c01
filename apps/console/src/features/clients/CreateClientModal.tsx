import { type ClientCreatedWire, type ClientCreateInput, clientCreateSchema } from '@gatekeeper/models'
import { Button, Checkbox, Group, Modal, Stack, Text, TextInput } from '@mantine/core'
import { FormErrors } from '../../components/FormErrors'
import { useSchemaForm } from '../../forms/use-schema-form'
import { otherErrors } from '../../forms/validate'

type Props = {
  create(body: ClientCreateInput): Promise<ClientCreatedWire>
  onCreated(client: ClientCreatedWire): void
  onClose(): void
}

export function CreateClientModal({ create, onCreated, onClose }: Props) {
  const form = useSchemaForm({
    initialValues: { client_name: '', api_key: true, shared_secret: false, expires: '' },
    schema: clientCreateSchema,
    toInput: ({ expires, ...body }) =>
      // datetime-local has no zone: the browser reads it as local time, as the label says.
      expires === '' ? body : { ...body, expires_at: Math.floor(new Date(expires).getTime() / 1000) },
    send: create,
    onDone: onCreated,
  })

  return (
    <Modal opened onClose={onClose} title="New client" centered>
      <form onSubmit={form.onSubmit} noValidate aria-label="Create client">
        <Stack>
          <FormErrors formError={form.formError} messages={otherErrors(form.errors, ['client_name', 'expires_at'])} />
          <TextInput
            label="Client name"
            description="Who calls the API with these credentials, e.g. billing-service."
            {...form.form.getInputProps('client_name')}
            error={form.errors.client_name}
            data-autofocus
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Credentials to generate
            </Text>
            <Checkbox
              label="API key (for routes using API key auth)"
              {...form.form.getInputProps('api_key', { type: 'checkbox' })}
            />
            <Checkbox
              label="Shared secret (for HMAC-signed requests)"
              {...form.form.getInputProps('shared_secret', { type: 'checkbox' })}
            />
          </Stack>
          <TextInput
            type="datetime-local"
            label="Expires (optional, your local time)"
            description="From this moment authz refuses every request of the client (401 client_expired)."
            {...form.form.getInputProps('expires')}
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
