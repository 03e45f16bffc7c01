import { afterAll, beforeAll } from 'vitest'
import { createScenario, type Scenario } from './scenario'
import { type Stack, type StackNginx, type StackOptions, startStack } from './stack'

/**
 * The usual set-up of an end-to-end file: a stack, the standard scenario (routes, clients, grants) and one nginx
 * running `config`, started in beforeAll and closed in afterAll. The objects are filled in once beforeAll has run;
 * read them inside tests and hooks.
 */
export function useStack(
  config = 'protected-api.conf',
  options: StackOptions = {},
): { stack: Stack; scenario: Scenario; nginx: StackNginx } {
  const stack = {} as Stack
  const scenario = {} as Scenario
  const nginx = {} as StackNginx
  beforeAll(async () => {
    Object.assign(stack, await startStack(options))
    Object.assign(scenario, await createScenario(stack))
    Object.assign(nginx, await stack.nginx(config))
  })
  afterAll(async () => {
    await stack.close?.()
  })
  return { stack, scenario, nginx }
}
