import { ApiError } from '@gatekeeper/models'
import type { Context } from 'hono'
import type { AppEnv } from '../context'

const ENTITY_TAG = /^"(\d{1,15})"$/

/**
 * The version a write must apply to, from `If-Match: "<version>"` and/or a `version` in the body.
 * `*` or neither means "any version". A header that names no version of ours (a weak tag, a list, junk)
 * can never match, so it is a 412, as is a header that disagrees with the body.
 */
export function expectedVersion(c: Context<AppEnv>, body: unknown): number | undefined {
  const header = c.req.header('if-match')?.trim()
  let fromHeader: number | undefined
  if (header !== undefined && header !== '' && header !== '*') {
    const match = ENTITY_TAG.exec(header)
    if (match?.[1] === undefined) {
      throw ApiError.preconditionFailed('If-Match must be one entity tag from an ETag, e.g. "3"')
    }
    fromHeader = Number(match[1])
  }
  const fromBody = bodyVersion(body)
  if (fromHeader !== undefined && fromBody !== undefined && fromHeader !== fromBody) {
    throw ApiError.preconditionFailed('If-Match and the body version disagree')
  }
  return fromHeader ?? fromBody
}

function bodyVersion(body: unknown): number | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined
  const version: unknown = Reflect.get(body, 'version')
  return typeof version === 'number' ? version : undefined
}

/** The body an update operation gets: the client's fields, with the expected version folded in. */
export function withVersion(body: unknown, version: number | undefined): unknown {
  if (version === undefined || typeof body !== 'object' || body === null || Array.isArray(body)) return body
  return { ...body, version }
}

/** A DELETE may carry `{"version": n}`; its body is optional and only read when it is JSON. */
export async function optionalDeleteBody(c: Context<AppEnv>): Promise<unknown> {
  const type = c.req.header('content-type') ?? ''
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) return undefined
  const text = await c.req.text()
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    throw ApiError.badRequest('malformed JSON in request body')
  }
}

/** `Gatekeeper-Cascaded: permissions=2, credentials=1`: what a delete removed with the entity. */
export function cascadeHeader(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([kind, n]) => `${kind}=${n}`)
    .join(', ')
}
