import { afterAll, beforeAll } from 'vitest'

/**
 * Something the enclosing suite (a file, or the describe it is called in) shares: `start` runs in beforeAll (within
 * `timeoutMs` when given, else the project's hook timeout), `stop` in afterAll if it started. The object returned
 * takes the properties and prototype of what `start` gave once beforeAll has run (a copy: `start`'s object itself
 * must not change afterwards); read it inside tests and hooks. vitest runs afterAll hooks last-registered first:
 * what a suite starts after this is stopped before it.
 */
export function useSuiteResource<T extends object>(
  start: () => Promise<T>,
  stop: (value: T) => unknown = () => undefined,
  timeoutMs?: number,
): T {
  const value = {} as T
  let started = false
  beforeAll(async () => {
    const resource = await start()
    // The same properties (getters stay getters) and prototype: a class instance keeps its methods.
    Object.defineProperties(value, Object.getOwnPropertyDescriptors(resource))
    Object.setPrototypeOf(value, Object.getPrototypeOf(resource))
    started = true
  }, timeoutMs)
  afterAll(async () => {
    if (started) await stop(value)
  })
  return value
}
