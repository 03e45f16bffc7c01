// The end-to-end harness of packages/e2e (real authz, console-api, fake Aegis, nginx with the shipped configs,
// the echo upstream, the control plane through the admin API), reused rather than copied. @gatekeeper/e2e
// exports only some of its modules; the rest are reached here, from this one file.

export type { AuthzServer } from '../../../e2e/src/authz'
export type { AuthSpec, CreatedClient, RouteSpec } from '../../../e2e/src/control-plane'
export type { RunningNginx } from '../../../e2e/src/nginx'
export { createScenario, type Scenario } from '../../../e2e/src/scenario'
export { NGINX_SOURCE_IP, type Stack, type StackNginx, startStack } from '../../../e2e/src/stack'
export { type EchoUpstream, startEchoUpstream } from '../../../e2e/src/upstream'
