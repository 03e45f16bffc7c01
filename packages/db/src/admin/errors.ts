import { ApiError, hasControlChars, idSchema } from '@gatekeeper/models'
import { pgErrorOf } from '../pg-error'

type SafeParser<T> = {
  safeParse(
    input: unknown,
  ): { success: true; data: T } | { success: false; error: Parameters<typeof ApiError.validation>[0] }
}

/** Validates input with a shared schema; a failure is a 400 with field-level details. */
export function parseInput<T>(schema: SafeParser<T>, input: unknown): T {
  const result = schema.safeParse(input)
  if (!result.success) throw ApiError.validation(result.error)
  return result.data
}

/**
 * An id taken from a path (`/routes/:route_id`). Anything that is not a UUID names nothing that can
 * exist, so it is a 404 of that entity (and never reaches Postgres as a malformed uuid); control
 * characters make it a 400.
 */
export function parseId(id: unknown, entity: string): string {
  // A NUL or newline in an id is a malformed request rather than an id that names nothing.
  if (typeof id === 'string' && hasControlChars(id)) {
    throw new ApiError('validation_error', `invalid request: ${entity}_id: must not contain control characters`, [
      { path: `${entity}_id`, message: 'must not contain control characters' },
    ])
  }
  const result = idSchema.safeParse(id)
  if (!result.success) throw ApiError.notFound(entity)
  return result.data
}

/**
 * A database failure the operations do not translate. The message keeps Postgres' primary text and
 * SQLSTATE but not the query, its parameters or the error's `detail` (which can quote row values such
 * as a key digest), so it is safe to log; callers answer it as a generic 500.
 */
export class AdminDatabaseError extends Error {
  readonly sqlState: string | undefined

  constructor(message: string, sqlState: string | undefined) {
    super(message)
    this.name = 'AdminDatabaseError'
    this.sqlState = sqlState
  }
}

const UNIQUE_MESSAGES: Readonly<Record<string, string>> = {
  routes_domain_route_pattern_key: 'a route with this domain and route_pattern already exists',
  client_credentials_api_key_digest_key: 'this API key is already in use',
  client_credentials_current_key: 'the client already has a current credential of this kind',
  client_permissions_client_id_route_id_key: 'this client already has a permission for this route',
  console_admins_email_key: 'a console admin with this email already exists',
  console_admins_aegis_user_id_key: 'a console admin with this Aegis user id already exists',
  rate_limits_pkey: 'this client already has a rate limit',
  admin_tokens_live_name_key: 'an admin token with this name already exists (revoke it first, or pick another name)',
}

const FOREIGN_KEY_ENTITIES: Readonly<Record<string, string>> = {
  client_credentials_client_id_clients_id_fk: 'client',
  client_permissions_client_id_clients_id_fk: 'client',
  client_permissions_route_id_routes_id_fk: 'route',
  rate_limits_client_id_clients_id_fk: 'client',
}

/** The request field a CHECK constraint guards, for the 400's details. */
const CHECK_FIELDS: Readonly<Record<string, string>> = {
  routes_route_pattern_check: 'route_pattern',
  routes_domain_check: 'domain',
  routes_service_name_check: 'service_name',
  routes_methods_check: 'methods',
  routes_methods_rules_check: 'methods',
  clients_client_name_check: 'client_name',
  clients_status_check: 'status',
  client_permissions_allowed_methods_check: 'allowed_methods',
  rate_limits_requests_per_day_check: 'requests_per_day',
  rate_limits_requests_per_minute_check: 'requests_per_minute',
  rate_limits_some_limit_check: '',
  console_admins_email_check: 'email',
  console_admins_aegis_user_id_check: 'aegis_user_id',
  admin_tokens_name_check: 'name',
  admin_tokens_scope_check: 'scope',
}

/**
 * Maps a failure inside an operation to what the caller should see: ApiErrors pass through; unique
 * violations are 409, foreign-key violations a 404 of the referenced entity, check violations and
 * malformed values 400. Messages are our own words, never SQL. Anything else becomes an
 * AdminDatabaseError (or is rethrown when it is not a database error at all).
 */
export function toApiError(err: unknown): unknown {
  if (err instanceof ApiError) return err
  const pg = pgErrorOf(err)
  if (pg === null) return err
  const constraint = pg.constraint ?? ''
  switch (pg.code) {
    case '23505':
      return ApiError.conflict(UNIQUE_MESSAGES[constraint] ?? 'conflicts with an existing record')
    case '23503': {
      const entity = FOREIGN_KEY_ENTITIES[constraint]
      return entity === undefined ? ApiError.conflict('a referenced record does not exist') : ApiError.notFound(entity)
    }
    case '23514': {
      if (constraint === 'clients_revoked_is_final') {
        return ApiError.conflict('the client is revoked, and revocation is final: create a new client instead')
      }
      const field = CHECK_FIELDS[constraint]
      if (field === undefined) return ApiError.badRequest('the request violates a data constraint')
      return new ApiError('validation_error', `invalid request: ${field || 'body'}: value is not allowed`, [
        { path: field, message: 'value is not allowed' },
      ])
    }
    case '22001':
      return ApiError.badRequest('a value is too long')
    case '22P02':
    case '22021': // a NUL or invalid byte in text (character_not_in_repertoire)
    case '22P05': // untranslatable_character
    case '22023':
    case '22007':
    case '22008':
    case '22003':
      return ApiError.badRequest('a value is malformed or out of range')
    default:
      return new AdminDatabaseError(`database error ${pg.code}: ${pg.message}`, pg.code)
  }
}
