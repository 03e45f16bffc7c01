import { type RateLimitSetInput, type RateLimitWire, rateLimitSetSchema } from '@gatekeeper/models'
import { Button, Group, Modal, NumberInput, Stack, Text } from '@mantine/core'
import { type FormEvent, useState } from 'react'
import { FormErrors } from '../../components/FormErrors'
import { useFormSubmit } from '../../forms/use-form-submit'
import { otherErrors, validate } from '../../forms/validate'

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
  const [perMinute, setPerMinute] = useState<number | string>(current?.requests_per_minute ?? '')
  const [perDay, setPerDay] = useState<number | string>(current?.requests_per_day ?? '')
  const form = useFormSubmit(save, onSaved)

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    void form.submit(
      validate(rateLimitSetSchema, { requests_per_minute: toLimit(perMinute), requests_per_day: toLimit(perDay) }),
    )
  }

  return (
    <Modal opened onClose={onClose} title={`Rate limit for ${clientName}`} centered>
      <form onSubmit={onSubmit} noValidate aria-label="Set rate limit">
        <Stack>
          <FormErrors
            formError={form.formError}
            messages={otherErrors(form.errors, ['requests_per_minute', 'requests_per_day'])}
          />
          <NumberInput
            label="Requests per minute"
            placeholder="no limit"
            value={perMinute}
            onChange={setPerMinute}
            allowDecimal={false}
            thousandSeparator=","
            error={form.errors.requests_per_minute}
          />
          <NumberInput
            label="Requests per day"
            placeholder="no limit"
            value={perDay}
            onChange={setPerDay}
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
