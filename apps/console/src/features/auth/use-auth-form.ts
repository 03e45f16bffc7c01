import { useState } from 'react'
import type { z } from 'zod'
import { useSchemaForm } from '../../forms/use-schema-form'

/**
 * The form of an account page of Aegis's (register, verify, reset): its values go to the schema as typed, and
 * `done` turns true once Aegis accepted them, for the page to say what happens next instead of the form.
 */
export function useAuthForm<V extends Record<string, unknown>, S extends z.ZodType>(options: {
  initialValues: V
  schema: S
  send(body: z.output<S>): Promise<unknown>
}) {
  const [done, setDone] = useState(false)
  const form = useSchemaForm({ ...options, toInput: (values: V) => values, onDone: () => setDone(true) })
  return { form, done }
}
