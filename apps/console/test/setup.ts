import { cleanup, configure } from '@testing-library/react'
import { afterEach, beforeEach } from 'vitest'

// findBy*/waitFor give up after 1 s by default; a first Mantine render on a loaded 2-core machine takes
// longer than that, which failed screens that were merely slow. The per-test timeout still bounds a hang.
configure({ asyncUtilTimeout: 10_000 })

// Component tests share one happy-dom window per file: start every test on a blank hash and storage.
beforeEach(() => {
  window.history.replaceState(null, '', '/')
  window.sessionStorage.clear()
  window.localStorage.clear()
})

afterEach(() => {
  cleanup()
})
