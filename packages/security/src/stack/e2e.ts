// The end-to-end harness of packages/e2e (real authz, console-api, fake Aegis, nginx with the shipped configs,
// the echo upstream, the control plane through the admin API), reused rather than copied.

export type { AuthSpec, CreatedClient, RouteSpec } from '@gatekeeper/e2e/control-plane'
export type { Scenario } from '@gatekeeper/e2e/scenario'
export {
  type RunningApps,
  type Stack,
  type StackNginx,
  startApps,
  startStack,
} from '@gatekeeper/e2e/stack'
export { type EchoUpstream, startEchoUpstream } from '@gatekeeper/e2e/upstream'
export type { AuthzProcess } from '@gatekeeper/testkit/apps'
export type { RunningNginx } from '@gatekeeper/testkit/nginx'
