// The code under test that is not a library, through the apps' public entry points: authz's engine and app,
// console-api's app, and the test factories both apps export for other packages' suites.

// authz's test surface whole: the engine's factories, makeTestWorld and createAuthzApp.
export * from '@gatekeeper/authz/testing'
export { type ConsoleApp, offlineConsoleApp } from '@gatekeeper/console-api/testing'
export {
  type Credentials,
  type Decision,
  type DecisionRequest,
  EngineState,
  extractCredentials,
  MALFORMED_TARGET,
  normalizePath,
  parseHost,
  type RouteInput,
  type RouteMethodInput,
} from '@gatekeeper/engine'
