import { createContext, useContext } from 'react'
import type { AdminApi } from '../api/admin'
import type { AuthApi } from '../api/auth'
import type { RuntimeConfig } from '../api/config'
import type { HttpClient } from '../api/http'

export type Services = { http: HttpClient; admin: AdminApi; auth: AuthApi }

export const ServicesContext = createContext<Services | null>(null)
export const ConfigContext = createContext<RuntimeConfig | null>(null)

export function useServices(): Services {
  const services = useContext(ServicesContext)
  if (services === null) throw new Error('useServices needs a ServicesProvider')
  return services
}

export function useAdminApi(): AdminApi {
  return useServices().admin
}

export function useAuthApi(): AuthApi {
  return useServices().auth
}

export function useRuntimeConfig(): RuntimeConfig {
  const config = useContext(ConfigContext)
  if (config === null) throw new Error('useRuntimeConfig needs a loaded config')
  return config
}
