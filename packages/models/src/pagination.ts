import { z } from 'zod'
import { optionalQueryInt } from './primitives'

export const MAX_PAGE_LIMIT = 500

/** Opt-in pagination for list endpoints: without `limit` a list returns everything, as the original did. */
export const paginationQuerySchema = z.object({
  limit: optionalQueryInt(1, MAX_PAGE_LIMIT),
  offset: optionalQueryInt(0, Number.MAX_SAFE_INTEGER),
})

export type PaginationQuery = z.output<typeof paginationQuerySchema>
