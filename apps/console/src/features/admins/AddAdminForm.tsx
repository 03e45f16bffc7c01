import { type ConsoleAdminCreateInput, consoleAdminCreateSchema } from '@gatekeeper/models'
import { Button, Group, TextInput } from '@mantine/core'
import { FormErrors } from '../../components/FormErrors'
import { useSchemaForm } from '../../forms/use-schema-form'
import { otherErrors } from '../../forms/validate'

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
    <form onSubmit={form.onSubmit} noValidate aria-label="Add admin">
      <FormErrors formError={form.formError} messages={otherErrors(form.errors, ['email'])} />
      <Group align="flex-start" mt="xs">
        <TextInput
          placeholder="new.admin@example.com"
          aria-label="Admin email"
          {...form.form.getInputProps('email')}
          error={form.errors.email}
          style={{ flex: 1 }}
        />
        <Button type="submit" loading={form.submitting}>
          Add admin
        </Button>
      </Group>
    </form>
  )
}
