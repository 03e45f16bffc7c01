import { z } from 'zod'

/** The methods a route can configure, in the order the wire format and sorted outputs use. */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const

export type HttpMethod = (typeof HTTP_METHODS)[number]

const METHOD_SET: ReadonlySet<string> = new Set(HTTP_METHODS)

export function isHttpMethod(value: string): value is HttpMethod {
  return METHOD_SET.has(value)
}

/** Exactly the uppercase names: `get` is rejected rather than guessed at, so configs stay canonical. */
export const httpMethodSchema = z.enum(HTTP_METHODS, {
  error: () => `expected one of ${HTTP_METHODS.join(', ')} (uppercase)`,
})

/** Deduplicates and sorts methods into HTTP_METHODS order. */
export function sortMethods(methods: Iterable<HttpMethod>): Array<HttpMethod> {
  const present = new Set(methods)
  return HTTP_METHODS.filter((method) => present.has(method))
}
