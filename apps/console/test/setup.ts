import { cleanup } from '@testing-library/react'
import { afterEach, beforeEach } from 'vitest'

// Component tests share one happy-dom window per file: start every test on a blank hash and storage.
beforeEach(() => {
  window.history.replaceState(null, '', '/')
  window.sessionStorage.clear()
  window.localStorage.clear()
})

afterEach(() => {
  cleanup()
})
