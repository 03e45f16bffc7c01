// The code under test that is not a library, through the apps' public entry points: authz's engine and app,
// console-api's app, and the test factories both apps export for other packages' suites.

export { createApp as createAuthzApp } from '@gatekeeper/authz/app'
export {
  API_KEY,
  HMAC,
  makeApiKey,
  makeClient,
  makeDeps,
  makePermission,
  makeRoute,
  makeSecret,
  makeTestWorld,
  PUBLIC,
  type TestDeps,
  type TestWorld,
} from '@gatekeeper/authz/testing'
export { type ConsoleApp, offlineConsoleApp } from '@gatekeeper/console-api/testing'
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
} from '@gatekeeper/engine'
