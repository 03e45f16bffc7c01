import { type ConsoleAdminCreateInput, consoleAdminCreateSchema } from '@gatekeeper/models'
import { Button, Group, TextInput } from '@mantine/core'
import { SchemaFormFrame } from '../../forms/SchemaFormFrame'
import { useSchemaForm } from '../../forms/use-schema-form'

type Props = { add(body: ConsoleAdminCreateInput): Promise<unknown>; onAdded(): void }

export function AddAdminForm({ add, onAdded }: Props) {
  const form = useSchemaForm({
    initialValues: { email: '' },
    schema: consoleAdminCreateSchema,
    toInput: (values) => values,
    send: add,
    onDone: () => {
      form.form.setFieldValue('email', '')
      onAdded()
    },
  })

  return (
    <SchemaFormFrame form={form} label="Add admin" fields={['email']} stacked={false}>
      <Group align="flex-start" mt="xs">
        <TextInput
          placeholder="new.admin@example.com"
          aria-label="Admin email"
          {...form.field('email')}
          style={{ flex: 1 }}
        />
        <Button type="submit" loading={form.submitting}>
          Add admin
        </Button>
      </Group>
    </SchemaFormFrame>
  )
}
