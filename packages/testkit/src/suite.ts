import { afterAll, beforeAll } from 'vitest'

/**
 * Something the enclosing suite (a file, or the describe it is called in) shares: `start` runs in beforeAll (within
 * `timeoutMs` when given, else the project's hook timeout), `stop` in afterAll if it started. The object returned is filled in with `start`'s own properties once beforeAll has run
 * (so `start` must give a plain object); read it inside tests and hooks. vitest runs afterAll hooks last-registered
 * first: what a suite starts after this is stopped before it.
 */
export function useSuiteResource<T extends object>(
  start: () => Promise<T>,
  stop: (value: T) => unknown = () => undefined,
  timeoutMs?: number,
): T {
  const value = {} as T
  let started = false
  beforeAll(async () => {
    Object.assign(value, await start())
    started = true
  }, timeoutMs)
  afterAll(async () => {
    if (started) await stop(value)
  })
  return value
}
