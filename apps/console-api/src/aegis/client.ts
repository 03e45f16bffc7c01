import { aegisUserSchema } from '@gatekeeper/models'
import { FetchError, ofetch } from 'ofetch'
import type { Metrics } from '../metrics'
import type { AegisClient, AegisFailure, AegisForwardResult, AegisMeResult, PublicAuthCall } from './types'

export type AegisClientOptions = {
  /** AEGIS_API_URL; unset means every call answers `not_configured`. */
  apiUrl: string | undefined
  /** AEGIS_TENANT_API_KEY; required by the public auth calls only. */
  tenantApiKey: string | undefined
  timeoutMs: number
  metrics: Metrics
}

type Raw = { status: number; body: string }
type Attempt = { ok: true; raw: Raw } | { ok: false; failure: AegisFailure }

function failureOf(err: unknown): AegisFailure {
  const cause = err instanceof FetchError ? err.cause : err
  const name = cause instanceof Error ? cause.name : ''
  return name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network'
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false }
  }
}

/** The Aegis client the configuration describes (AEGIS_API_URL, AEGIS_TENANT_API_KEY, AEGIS_TIMEOUT_MS). */
export function aegisClientFromConfig(
  aegis: Pick<AegisClientOptions, 'apiUrl' | 'tenantApiKey' | 'timeoutMs'>,
  metrics: Metrics,
): AegisClient {
  return createAegisClient({
    apiUrl: aegis.apiUrl,
    tenantApiKey: aegis.tenantApiKey,
    timeoutMs: aegis.timeoutMs,
    metrics,
  })
}

/**
 * The Aegis client over ofetch: one attempt per call (no retries on a request path), a hard timeout
 * covering the whole exchange, every error response read as data rather than thrown.
 */
function createAegisClient(opts: AegisClientOptions): AegisClient {
  const base = opts.apiUrl?.replace(/\/+$/, '')

  async function send(
    call: string,
    path: string,
    init: { method: string; headers: Record<string, string>; body?: string },
  ): Promise<Attempt> {
    const started = performance.now()
    const seconds = () => (performance.now() - started) / 1000
    try {
      const res = await ofetch.raw<string, 'text'>(`${base}${path}`, {
        ...init,
        timeout: opts.timeoutMs,
        retry: 0,
        ignoreResponseError: true,
        responseType: 'text',
        redirect: 'manual',
      })
      const outcome = res.status >= 500 ? 'error' : res.status >= 400 ? 'rejected' : 'ok'
      opts.metrics.aegisDuration.observe({ call, outcome }, seconds())
      if (res.status >= 500) opts.metrics.aegisErrors.inc({ call, reason: 'server_error' })
      return { ok: true, raw: { status: res.status, body: res._data ?? '' } }
    } catch (err) {
      const failure = failureOf(err)
      opts.metrics.aegisDuration.observe({ call, outcome: 'error' }, seconds())
      opts.metrics.aegisErrors.inc({ call, reason: failure })
      return { ok: false, failure }
    }
  }

  function unavailable(
    call: string,
    failure: AegisFailure,
  ): { ok: false; reason: 'unavailable'; failure: AegisFailure } {
    if (failure === 'bad_response' || failure === 'unexpected_status') {
      opts.metrics.aegisErrors.inc({ call, reason: failure })
    }
    return { ok: false, reason: 'unavailable', failure }
  }

  return {
    async me(token): Promise<AegisMeResult> {
      if (base === undefined) return { ok: false, reason: 'not_configured' }
      const attempt = await send('me', '/api/auth/me', {
        method: 'GET',
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      })
      if (!attempt.ok) return { ok: false, reason: 'unavailable', failure: attempt.failure }
      const { status, body } = attempt.raw
      if (status === 401 || status === 403) return { ok: false, reason: 'invalid_token' }
      if (status >= 500) return { ok: false, reason: 'unavailable', failure: 'server_error' }
      if (status !== 200) return unavailable('me', 'unexpected_status')
      const json = parseJson(body)
      const user = json.ok ? aegisUserSchema.safeParse(json.value) : undefined
      if (user === undefined || !user.success) return unavailable('me', 'bad_response')
      return { ok: true, user: user.data }
    },

    async forward(call: PublicAuthCall, body): Promise<AegisForwardResult> {
      if (base === undefined || !opts.tenantApiKey) return { ok: false, reason: 'not_configured' }
      const attempt = await send(call, `/api/auth/${call}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-tenant-api-key': opts.tenantApiKey,
        },
        body: JSON.stringify(body),
      })
      if (!attempt.ok) return { ok: false, reason: 'unavailable', failure: attempt.failure }
      const { status, body: text } = attempt.raw
      if (text.trim() !== '' && !parseJson(text).ok) return unavailable(call, 'bad_response')
      return { ok: true, status, body: text }
    },
  }
}
