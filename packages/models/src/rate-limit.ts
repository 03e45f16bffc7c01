import { z } from 'zod'
import { epochSecondsSchema, idSchema } from './primitives'

export const MAX_REQUESTS_PER_DAY = 1_000_000_000
export const MAX_REQUESTS_PER_MINUTE = 10_000_000

function limitSchema(max: number) {
  return z
    .number()
    .int('must be an integer')
    .positive('must be a positive integer')
    .max(max, `must be at most ${max}`)
    .nullable()
    .optional()
}

type Limits = { requests_per_day?: number | null; requests_per_minute?: number | null }

/** At least one window limited: a null limit is unlimited, so limits of nothing but nulls limit nothing. */
export function limitsSomething(value: Limits): boolean {
  return (
    (value.requests_per_day !== undefined && value.requests_per_day !== null) ||
    (value.requests_per_minute !== undefined && value.requests_per_minute !== null)
  )
}

export const LIMITS_SOMETHING = {
  message: 'set at least one of requests_per_day, requests_per_minute to a positive integer',
}

/**
 * `PUT /api/admin/rate-limits/:client_id`. A number sets that window's limit; null says explicitly that
 * the window is unlimited. At least one window must be limited: removing every limit is DELETE.
 */
export const rateLimitSetSchema = z
  .object({
    requests_per_day: limitSchema(MAX_REQUESTS_PER_DAY),
    requests_per_minute: limitSchema(MAX_REQUESTS_PER_MINUTE),
  })
  .refine(limitsSomething, LIMITS_SOMETHING)

export const rateLimitWireSchema = z.object({
  client_id: idSchema,
  client_name: z.string(),
  requests_per_day: z.number().int().nullable(),
  requests_per_minute: z.number().int().nullable(),
  created_at: epochSecondsSchema,
  updated_at: epochSecondsSchema,
})

/** Current usage; `remaining_*` is null when that window has no limit. */
export const rateLimitUsageWireSchema = z.object({
  client_id: idSchema,
  used_day: z.number().int().nonnegative(),
  remaining_day: z.number().int().nonnegative().nullable(),
  used_minute: z.number().int().nonnegative().optional(),
  remaining_minute: z.number().int().nonnegative().nullable().optional(),
})

export type RateLimitSetInput = z.output<typeof rateLimitSetSchema>
export type RateLimitWire = z.output<typeof rateLimitWireSchema>
export type RateLimitUsageWire = z.output<typeof rateLimitUsageWireSchema>
