import { type RawReply, rawRequest } from '../http/raw'
import type { RenderedRequest } from './render'

/** Sends a rendered request (Host first, then its header lines) to a loopback port. */
export function sendRendered(port: number, req: RenderedRequest, timeoutMs = 5000): Promise<RawReply> {
  return rawRequest({
    port,
    method: req.method,
    target: req.target,
    headers: [['Host', req.host], ...req.headers],
    timeoutMs,
  })
}
