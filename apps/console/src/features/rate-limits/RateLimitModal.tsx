import { type RateLimitSetInput, type RateLimitWire, rateLimitSetSchema } from '@gatekeeper/models'
import { Button, Group, Modal, NumberInput, Stack, Text } from '@mantine/core'
import { FormErrors } from '../../components/FormErrors'
import { useSchemaForm } from '../../forms/use-schema-form'
import { otherErrors } from '../../forms/validate'

type Props = {
  clientName: string
  current: RateLimitWire | undefined
  save(body: RateLimitSetInput): Promise<unknown>
  onSaved(): void
  onClose(): void
}

/** An empty field means no limit for that window (sent as null); at least one window must be limited. */
function toLimit(value: number | string): number | null {
  if (typeof value === 'number') return value
  return value.trim() === '' ? null : Number(value)
}

export function RateLimitModal({ clientName, current, save, onSaved, onClose }: Props) {
  const form = useSchemaForm({
    initialValues: {
      perMinute: (current?.requests_per_minute ?? '') as number | string,
      perDay: (current?.requests_per_day ?? '') as number | string,
    },
    schema: rateLimitSetSchema,
    toInput: ({ perMinute, perDay }) => ({
      requests_per_minute: toLimit(perMinute),
      requests_per_day: toLimit(perDay),
    }),
    send: save,
    onDone: onSaved,
  })

  return (
    <Modal opened onClose={onClose} title={`Rate limit for ${clientName}`} centered>
      <form onSubmit={form.onSubmit} noValidate aria-label="Set rate limit">
        <Stack>
          <FormErrors
            formError={form.formError}
            messages={otherErrors(form.errors, ['requests_per_minute', 'requests_per_day'])}
          />
          <NumberInput
            label="Requests per minute"
            placeholder="no limit"
            {...form.form.getInputProps('perMinute')}
            allowDecimal={false}
            thousandSeparator=","
            error={form.errors.requests_per_minute}
          />
          <NumberInput
            label="Requests per day"
            placeholder="no limit"
            {...form.form.getInputProps('perDay')}
            allowDecimal={false}
            thousandSeparator=","
            error={form.errors.requests_per_day}
          />
          <Text size="xs" c="dimmed">
            Over a limit, authz answers 429 with Retry-After. Leave a field empty for no limit in that window.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              Save limit
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
