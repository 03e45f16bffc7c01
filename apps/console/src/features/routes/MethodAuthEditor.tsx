import { HTTP_METHODS, type HttpMethod } from '@gatekeeper/models'
import { Button, Checkbox, Group, Radio, Stack, Table, Text } from '@mantine/core'
import type { FieldErrors } from '../../forms/validate'
import {
  CHOICE_LABELS,
  choiceOf,
  chooseForAll,
  chooseMethod,
  type MethodChoice,
  type MethodsDraft,
  toggleMethod,
} from './method-draft'

type Props = {
  value: MethodsDraft
  onChange(next: MethodsDraft): void
  /** Form errors; those under `methods` are shown here (per method, or for the whole editor). */
  errors: FieldErrors
}

const CHOICES: ReadonlyArray<MethodChoice> = ['public', 'api_key', 'hmac']

function isChoice(value: string): value is MethodChoice {
  return value === 'public' || value === 'api_key' || value === 'hmac'
}

function methodError(errors: FieldErrors, method: HttpMethod): string | undefined {
  const prefix = `methods.${method}`
  const messages = Object.entries(errors)
    .filter(([path]) => path === prefix || path.startsWith(`${prefix}.`))
    .map(([, message]) => message)
  return messages.length === 0 ? undefined : messages.join('; ')
}

/** Per-method authentication: each enabled method is public, API key or HMAC; disabled methods are refused. */
export function MethodAuthEditor({ value, onChange, errors }: Props) {
  const wholeError = errors.methods
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Text size="sm" fw={500}>
          Methods and authentication
        </Text>
        <Group gap={4}>
          <Text size="xs" c="dimmed">
            Set all enabled:
          </Text>
          {CHOICES.map((choice) => (
            <Button
              key={choice}
              size="compact-xs"
              variant="light"
              onClick={() => onChange(chooseForAll(value, choice))}
            >
              {CHOICE_LABELS[choice]}
            </Button>
          ))}
        </Group>
      </Group>
      <Table withTableBorder verticalSpacing={4}>
        <Table.Tbody>
          {HTTP_METHODS.map((method) => {
            const draft = value[method]
            const choice = draft === undefined ? null : choiceOf(draft)
            const error = methodError(errors, method)
            return (
              <Table.Tr key={method}>
                <Table.Td w={130}>
                  <Checkbox
                    label={method}
                    checked={draft !== undefined}
                    onChange={(event) => onChange(toggleMethod(value, method, event.currentTarget.checked))}
                  />
                </Table.Td>
                <Table.Td>
                  {draft === undefined ? (
                    <Text size="sm" c="dimmed">
                      not allowed
                    </Text>
                  ) : (
                    <Radio.Group
                      name={`auth-${method}`}
                      aria-label={`${method} authentication`}
                      value={choice}
                      onChange={(next) => {
                        if (isChoice(next)) onChange(chooseMethod(value, method, next))
                      }}
                      error={error}
                    >
                      <Group gap="md">
                        {CHOICES.map((option) => (
                          <Radio
                            key={option}
                            value={option}
                            label={CHOICE_LABELS[option]}
                            aria-label={`${method} ${CHOICE_LABELS[option]}`}
                          />
                        ))}
                      </Group>
                    </Radio.Group>
                  )}
                </Table.Td>
              </Table.Tr>
            )
          })}
        </Table.Tbody>
      </Table>
      {wholeError !== undefined && (
        <Text size="sm" c="red" role="alert">
          {wholeError}
        </Text>
      )}
    </Stack>
  )
}
