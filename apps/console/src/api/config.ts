import { z } from 'zod'
import type { HttpClient } from './http'

/** `GET /api/config`: everything tenant-specific the console needs, read at start. */
const runtimeConfigSchema = z.object({
  aegisApiUrl: z.string().nullish(),
  siteName: z.string().nullish(),
  siteDomain: z.string().nullish(),
  localSignIn: z.boolean().nullish(),
})

/**
 * `aegisApiUrl` (non-empty) means the Aegis sign-in form works; `localSignIn` means one-time links
 * printed by `gatekeeper start` (or `gatekeeper admin sign-in-link`) work. Either, both, or neither.
 */
export type RuntimeConfig = {
  aegisApiUrl: string | null
  siteName: string
  siteDomain: string | null
  localSignIn: boolean
}

/**
 * The console's one title, in the header, on the sign-in pages and in the browser tab: the product's
 * name, preceded by the site's when an operator named it (SITE_NAME) something other than the default.
 */
export function consoleTitle(config: Pick<RuntimeConfig, 'siteName'>): string {
  const site = config.siteName.trim()
  return site === '' || site.toLowerCase() === 'gatekeeper' ? 'Gatekeeper console' : `${site} · Gatekeeper console`
}

export async function fetchRuntimeConfig(http: HttpClient): Promise<RuntimeConfig> {
  const raw = await http.request('GET', '/api/config', runtimeConfigSchema)
  const siteName = raw.siteName?.trim()
  const siteDomain = raw.siteDomain?.trim()
  return {
    aegisApiUrl: raw.aegisApiUrl?.trim() ? raw.aegisApiUrl : null,
    siteName: siteName === undefined || siteName === '' ? 'Gatekeeper' : siteName,
    siteDomain: siteDomain === undefined || siteDomain === '' ? null : siteDomain,
    localSignIn: raw.localSignIn === true,
  }
}
