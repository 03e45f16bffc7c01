// @gatekeeper/models/testing: what the suites of the wire format's producers (db, console-api) and consumer
// (the console) share.
export { permissionSubjects } from './permission'
export { CLIENT_ADDITIVE_KEYS, CLIENT_KEYS, CREDENTIAL_KEYS, KEY_ORDER, PERMISSION_KEYS } from './wire-keys'
