import { useSuiteResource } from '@gatekeeper/testkit/suite'
import { createScenario, type Scenario } from './scenario'
import { type NginxRequest, type Stack, type StackNginx, type StackOptions, startStack } from './stack'

// The set-ups of end-to-end files, each started in beforeAll and closed in afterAll. The objects are filled in once
// beforeAll has run; read them inside tests and hooks.

/** A stack alone (no scenario, no nginx besides the console's). */
export function useBareStack(options: StackOptions = {}): Stack {
  return useSuiteResource(
    () => startStack(options),
    (stack) => stack.close(),
  )
}

/** A stack and the standard scenario (routes, clients, grants), for files that start their nginx themselves. */
export function useScenario(options: StackOptions = {}): { stack: Stack; scenario: Scenario } {
  const stack = useBareStack(options)
  return { stack, scenario: useSuiteResource(() => createScenario(stack)) }
}

/** The usual set-up: a stack, the standard scenario and one nginx running `config` (started as `request` says). */
export function useStack(
  config = 'protected-api.conf',
  options: StackOptions = {},
  request: NginxRequest = {},
): { stack: Stack; scenario: Scenario; nginx: StackNginx } {
  const { stack, scenario } = useScenario(options)
  // Stopped with the stack.
  const nginx = useSuiteResource(() => stack.nginx(config, request))
  return { stack, scenario, nginx }
}
