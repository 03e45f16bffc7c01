// The request body, read only for an HMAC-signed request from a direct caller (nginx never sends one: it
// strips the body from auth subrequests). Bounded, because the body is held in memory to verify a signature.

const MAX_BODY_BYTES = 1024 * 1024

export type BodyResult = { ok: true; body: Uint8Array } | { ok: false; reason: 'body_too_large' | 'body_unreadable' }

const EMPTY = new Uint8Array(0)

export async function readBody(request: Request, maxBytes = MAX_BODY_BYTES): Promise<BodyResult> {
  const declared = request.headers.get('content-length')
  if (declared !== null && Number(declared) > maxBytes) return { ok: false, reason: 'body_too_large' }
  const stream = request.body
  if (stream === null) return { ok: true, body: EMPTY }
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    const reader = stream.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.byteLength
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined)
        return { ok: false, reason: 'body_too_large' }
      }
      chunks.push(value)
    }
  } catch {
    return { ok: false, reason: 'body_unreadable' }
  }
  if (chunks.length === 1 && chunks[0] !== undefined) return { ok: true, body: chunks[0] }
  const body = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.byteLength
  }
  return { ok: true, body }
}
