// The code under test that is not a library: authz's engine and app, console-api's app. Those apps publish no
// entry points (they are deployables), so this suite reaches into their sources, from this one file only: when
// they move, this is the file to change. The e2e harness pieces that @gatekeeper/e2e does not export come the
// same way (stack/e2e.ts).

export { createApp as createAuthzApp } from '@gatekeeper/authz/src/app'
export {
  type Credentials,
  compileTrustedForwarders,
  type Decision,
  type DecisionRequest,
  decide,
  EngineState,
  extractCredentials,
  MALFORMED_TARGET,
  normalizePath,
  parseHost,
  type RouteInput,
  type RouteMethodInput,
} from '@gatekeeper/authz/src/engine'
export {
  API_KEY,
  HMAC,
  makeApiKey,
  makeClient,
  makeDeps,
  makePermission,
  makeRoute,
  makeSecret,
  PUBLIC,
  type TestDeps,
} from '@gatekeeper/authz/src/engine/testing'
export { makeTestWorld, type TestWorld } from '@gatekeeper/authz/src/test-deps'

export { createAegisClient } from '@gatekeeper/console-api/src/aegis/client'
export { type ConsoleApp, createApp as createConsoleApp } from '@gatekeeper/console-api/src/app'
export type { AppDeps as ConsoleAppDeps } from '@gatekeeper/console-api/src/app-deps'
export { loadConsoleConfig } from '@gatekeeper/console-api/src/config'
export { createLogger as createConsoleLogger } from '@gatekeeper/console-api/src/logger'
export { createMetrics as createConsoleMetrics } from '@gatekeeper/console-api/src/metrics'
export { type FakeAegis, startFakeAegis } from '@gatekeeper/console-api/test/fake-aegis'
