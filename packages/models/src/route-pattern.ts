import { z } from 'zod'
import { hasControlChars } from './primitives'

export const ROUTE_PATTERN_MAX_LENGTH = 1024

/**
 * Why a route pattern is unusable, or null when it is fine.
 *
 * Patterns are matched against the normalised, percent-decoded path nginx hands to authz, so a pattern
 * must already be in that form: anything that could never equal a normalised path (dot segments, `//`,
 * escapes, a query string) is a mistake that would silently leave a route unprotected or unreachable.
 */
export function routePatternProblem(pattern: string): string | null {
  if (pattern.length === 0) return 'must not be empty'
  if (pattern.length > ROUTE_PATTERN_MAX_LENGTH) return `must be at most ${ROUTE_PATTERN_MAX_LENGTH} characters`
  if (!pattern.startsWith('/')) return "must start with '/'"
  if (/\s/.test(pattern) || hasControlChars(pattern)) return 'must not contain whitespace or control characters'
  if (pattern.includes('?') || pattern.includes('#')) {
    return "must be a path only: no query string ('?') or fragment ('#')"
  }
  if (pattern.includes('%')) {
    return "must not contain percent-escapes ('%'): write the decoded path, patterns match decoded paths"
  }
  if (pattern.includes('\\')) return 'must not contain a backslash'
  const isPrefix = pattern.endsWith('/*')
  const body = isPrefix ? pattern.slice(0, -1) : pattern
  if (body.includes('*')) {
    return "'*' is only allowed as the final segment of a prefix pattern ending in '/*' (e.g. /api/users/*)"
  }
  if (body.includes('//')) return "must not contain empty segments ('//')"
  const segments = body.split('/')
  if (segments.some((segment) => segment === '.' || segment === '..')) {
    return "must not contain '.' or '..' segments"
  }
  return null
}

/**
 * `/exact/path` or `/prefix/*`; `/*` matches everything. A trailing slash is kept as written: `/a/` and
 * `/a` are different exact paths.
 */
export const routePatternSchema = z.string().superRefine((pattern, ctx) => {
  const problem = routePatternProblem(pattern)
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem })
})
