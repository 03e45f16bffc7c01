import { gatekeeperVitestConfig } from '@gatekeeper/tsconfig/vitest'

export default gatekeeperVitestConfig()
