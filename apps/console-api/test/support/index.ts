// `@gatekeeper/console-api/testing`: console-api's real app for other packages' tests, without a process.

export type { ConsoleApp } from '../../src/app'
export { type OfflineConsole, offlineConsoleApp } from './offline-app'
