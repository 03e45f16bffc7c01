import { type ClientCreatedWire, type ClientCreateInput, clientCreateSchema } from '@gatekeeper/models'
import { Checkbox, Stack, Text, TextInput } from '@mantine/core'
import { FormModal } from '../../forms/SchemaFormFrame'
import { useSchemaForm } from '../../forms/use-schema-form'

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
    <FormModal
      title="New client"
      label="Create client"
      form={form}
      fields={['client_name', 'expires_at']}
      submitLabel="Create client"
      onClose={onClose}
    >
      <TextInput
        label="Client name"
        description="Who calls the API with these credentials, e.g. billing-service."
        {...form.field('client_name')}
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
        {...form.field('expires', 'expires_at')}
      />
    </FormModal>
  )
}
