import { type ErrorDetail, zodIssuesToDetails } from '@gatekeeper/models'
import type { z } from 'zod'

/** Field messages keyed by dotted path (`methods.GET.auth_type`); '' holds whole-form messages. */
export type FieldErrors = Readonly<Record<string, string>>

export function detailsToFieldErrors(details: ReadonlyArray<ErrorDetail>): FieldErrors {
  const errors: Record<string, string> = {}
  for (const detail of details) {
    const previous = errors[detail.path]
    errors[detail.path] = previous === undefined ? detail.message : `${previous}; ${detail.message}`
  }
  return errors
}

export type Validation<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors }

/** Runs a shared schema over form values: the same rules the console-api applies, before anything is sent. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): Validation<z.output<S>> {
  const result = schema.safeParse(input)
  if (result.success) return { ok: true, data: result.data }
  return { ok: false, errors: detailsToFieldErrors(zodIssuesToDetails(result.error)) }
}

/** Messages whose path is none of `known` (nor under one): shown in the form's summary. */
export function otherErrors(errors: FieldErrors, known: ReadonlyArray<string>): Array<[string, string]> {
  return Object.entries(errors).filter(
    ([path]) => !known.some((field) => path === field || path.startsWith(`${field}.`)),
  )
}
