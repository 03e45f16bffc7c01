import { schemaResolver, type UseFormReturnType, useForm } from '@mantine/form'
import { useState } from 'react'
import type { z } from 'zod'
import { asApiError } from '../api/errors'
import { detailsToFieldErrors, type FieldErrors } from './validate'

const SESSION_ENDED = 'Your session expired. Sign in again, then submit once more: your entries are kept.'

type Options<V, S extends z.ZodType, R> = {
  initialValues: V
  /** The shared schema from @gatekeeper/models: the rules the console-api applies, checked before sending. */
  schema: S
  /** Form values as the API body the schema reads (a date as epoch seconds, an allowlist as a list). */
  toInput(values: V): unknown
  send(body: z.output<S>): Promise<R>
  onDone?(result: R): void
}

export type SchemaForm<V> = {
  form: UseFormReturnType<V>
  /** Field messages keyed by the schema's dotted path, from the schema or the server's `details`. */
  errors: FieldErrors
  /** A message for the whole form (the server's message, or a network failure). */
  formError: string | null
  submitting: boolean
  onSubmit(event?: React.FormEvent<HTMLFormElement>): void
  /**
   * An input's props: its value and handlers, and the message of `errorPath` (the schema's name for what the
   * input holds, when the form keeps it under another name, such as a local date sent as `expires_at`).
   */
  field(name: keyof V & string, errorPath?: string): ReturnType<UseFormReturnType<V>['getInputProps']>
}

/**
 * A form on @mantine/form, checked with a shared zod schema (through @mantine/form's Standard Schema resolver)
 * before anything is sent. A refusal from the server shows its `details` beside the fields and its message above
 * them; values stay as typed in every case, and a field's message stays until the next submit.
 */
export function useSchemaForm<V extends Record<string, unknown>, S extends z.ZodType, R>(
  options: Options<V, S, R>,
): SchemaForm<V> {
  const { schema, toInput, send, onDone } = options
  const [formError, setFormError] = useState<string | null>(null)
  const form = useForm<V>({
    mode: 'controlled',
    initialValues: options.initialValues,
    clearInputErrorOnChange: false,
    validate: (values) => schemaResolver(schema, { sync: true })(toInput(values)),
  })
  const onSubmit = form.onSubmit(
    async (values) => {
      setFormError(null)
      try {
        const result = await send(schema.parse(toInput(values)))
        onDone?.(result)
      } catch (error) {
        const failure = asApiError(error)
        setFormError(failure.sessionEnded ? SESSION_ENDED : failure.message)
        form.setErrors(detailsToFieldErrors(failure.details))
      }
    },
    () => setFormError(null),
  )
  const errors = form.errors as FieldErrors
  const field = (name: keyof V & string, errorPath: string = name) => ({
    ...form.getInputProps(name),
    error: errors[errorPath],
  })
  return { form, errors, formError, submitting: form.submitting, onSubmit, field }
}
