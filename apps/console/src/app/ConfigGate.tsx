import { Alert, Button, Center, Loader, Stack } from '@mantine/core'
import { type ReactNode, useCallback, useEffect, useState } from 'react'
import { consoleTitle, fetchRuntimeConfig, type RuntimeConfig } from '../api/config'
import { type ApiRequestError, asApiError } from '../api/errors'
import { ConfigContext, useServices } from './services-context'

/** Reads /api/config before anything else: the site name and domain hints come from there. */
export function ConfigGate({ children }: { children: ReactNode }) {
  const { http } = useServices()
  const [config, setConfig] = useState<RuntimeConfig | null>(null)
  const [error, setError] = useState<ApiRequestError | null>(null)

  const load = useCallback(() => {
    setError(null)
    fetchRuntimeConfig(http).then(setConfig, (failure: unknown) => setError(asApiError(failure)))
  }, [http])

  useEffect(load, [load])

  useEffect(() => {
    if (config !== null) document.title = consoleTitle(config)
  }, [config])

  if (config !== null) return <ConfigContext.Provider value={config}>{children}</ConfigContext.Provider>
  return (
    <Center mih="100vh" p="md">
      {error === null ? (
        <Loader />
      ) : (
        <Stack maw={480}>
          <Alert color="red" title="The console cannot start">
            Reading /api/config failed: {error.message}. The console-api must be reachable at this address under /api.
          </Alert>
          <Button onClick={load}>Try again</Button>
        </Stack>
      )}
    </Center>
  )
}
