import { type DestinationStream, type Logger, pino } from 'pino'

/**
 * Paths pino replaces with "[redacted]". Handlers never log bodies or headers, so this is the second
 * line of defence: whatever object reaches a log line, these keys do not leave the process.
 */
const REDACT_PATHS = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  '*.authorization',
  'headers["x-tenant-api-key"]',
  '*.headers["x-tenant-api-key"]',
  'cookie',
  '*.cookie',
  'password',
  '*.password',
  'new_password',
  '*.new_password',
  'token',
  '*.token',
  'auth_token',
  '*.auth_token',
  'api_key',
  '*.api_key',
  'shared_secret',
  '*.shared_secret',
  'tenantApiKey',
  '*.tenantApiKey',
  'webhookSecret',
  '*.webhookSecret',
]

export type LoggerOptions = {
  level: string
  /** Where lines go; stdout by default. Tests pass a stream that keeps them. */
  destination?: DestinationStream
}

export function createLogger(opts: LoggerOptions): Logger {
  return pino(
    {
      level: opts.level,
      base: { service: 'console-api' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    opts.destination,
  )
}
