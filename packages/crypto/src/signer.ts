// The client signing library lives in its own publishable package (@gatekeeper/signer); this entry
// keeps `@gatekeeper/crypto/signer` and the re-exports from `@gatekeeper/crypto` working.
export * from '@gatekeeper/signer'
