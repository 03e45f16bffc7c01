import { AdminDatabaseError } from '@gatekeeper/db/admin'
import { NoUsableHostError } from '@gatekeeper/db/hosts'
import { ApiError } from '@gatekeeper/models'
import { CommanderError } from 'commander'
import { describe, expect, it } from 'vitest'
import { CliError, describeFailure, QuietExit } from './errors'
import { ExitCode } from './exit-codes'

describe('describeFailure', () => {
  it('maps ApiErrors to exit codes and keeps field details on one line', () => {
    const validation = new ApiError('validation_error', 'invalid request', [
      { path: 'route_pattern', message: "must start with '/'" },
      { path: 'domain', message: 'bad\nhost' },
    ])
    expect(describeFailure(validation)).toEqual({
      code: ExitCode.usage,
      message: "route_pattern: must start with '/'; domain: bad host",
    })
    expect(describeFailure(ApiError.notFound('route')).code).toBe(ExitCode.notFound)
    expect(describeFailure(ApiError.conflict('dup')).code).toBe(ExitCode.conflict)
    expect(describeFailure(ApiError.preconditionFailed()).code).toBe(ExitCode.conflict)
  })

  it('treats refused connections as exit 6 and missing tables as a hint to migrate', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
    expect(describeFailure(refused).code).toBe(ExitCode.unavailable)
    const failingOver = new NoUsableHostError('read-write', [
      'pg-a:5432: connect ECONNREFUSED',
      'pg-b:5432 is a standby',
    ])
    expect(describeFailure(failingOver).code).toBe(ExitCode.unavailable)
    const wrapped = new Error('query failed', {
      cause: Object.assign(new Error('relation "routes" does not exist'), { code: '42P01' }),
    })
    expect(describeFailure(wrapped)).toEqual({
      code: ExitCode.error,
      message: 'the database is not set up for Gatekeeper (missing tables): run `gatekeeper db migrate`',
    })
    const fromOps = new AdminDatabaseError('database error 42P01: relation "routes" does not exist', '42P01')
    expect(describeFailure(fromOps).message).toMatch(/run `gatekeeper db migrate`/)
  })

  it('a QuietExit ends with its status and prints nothing (diff: 2 = changes)', () => {
    expect(describeFailure(new QuietExit(2))).toEqual({ code: 2, message: undefined })
  })

  it('passes CliErrors through and leaves commander output to commander', () => {
    expect(describeFailure(CliError.refused('no'))).toEqual({ code: ExitCode.refused, message: 'no' })
    expect(describeFailure(new CommanderError(1, 'commander.unknownOption', 'x'))).toEqual({
      code: ExitCode.usage,
      message: undefined,
    })
    expect(describeFailure(new CommanderError(0, 'commander.helpDisplayed', 'x'))).toEqual({
      code: ExitCode.ok,
      message: undefined,
    })
  })
})
