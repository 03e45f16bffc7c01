// `@gatekeeper/authz/testing`: what other packages' tests need to drive authz without a process — engine
// factories (routes, clients, credentials, an in-memory admission) and an app wired to an in-memory world.

export { createApp as createAuthzApp } from '../../src/app'
export * from './engine'
export { makeTestWorld, type TestWorld } from './world'
