import { type RateLimitSetInput, type RateLimitWire, rateLimitSetSchema } from '@gatekeeper/models'
import { NumberInput, type NumberInputProps, Text } from '@mantine/core'
import { FormModal } from '../../forms/SchemaFormFrame'
import { useSchemaForm } from '../../forms/use-schema-form'

type Props = {
  clientName: string
  current: RateLimitWire | undefined
  save(body: RateLimitSetInput): Promise<unknown>
  /** After a save, before the dialog closes itself. */
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
    onDone: () => {
      onSaved()
      onClose()
    },
  })

  return (
    <FormModal
      title={`Rate limit for ${clientName}`}
      label="Set rate limit"
      form={form}
      fields={['requests_per_minute', 'requests_per_day']}
      submitLabel="Save limit"
      onClose={onClose}
    >
      <LimitInput label="Requests per minute" {...form.field('perMinute', 'requests_per_minute')} />
      <LimitInput label="Requests per day" {...form.field('perDay', 'requests_per_day')} />
      <Text size="xs" c="dimmed">
        Over a limit, authz answers 429 with Retry-After. Leave a field empty for no limit in that window.
      </Text>
    </FormModal>
  )
}

/** A whole number of requests; empty for no limit. */
function LimitInput(props: NumberInputProps) {
  return <NumberInput placeholder="no limit" allowDecimal={false} thousandSeparator="," {...props} />
}
