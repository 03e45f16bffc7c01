// `@gatekeeper/authz/testing`: what other packages' tests need to drive authz without a process — engine
// factories (routes, clients, credentials, an in-memory admission) and an app wired to an in-memory world.

export * from '@gatekeeper/engine/testing'
export { createApp as createAuthzApp } from '../../src/app'
export { makeTestWorld, type TestWorld } from './world'
