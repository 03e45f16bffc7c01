// The ServerResponse authz's HTTP server uses (node's `ServerResponse` option, made for subclasses like this one):
// a reply with a body leaves in one write of the socket instead of a `writev`.
//
// @hono/node-server answers with `writeHead(status, headers)` and `end(body)`. node's `end(body)` corks the
// socket, queues the header block joined with the body, then queues an empty chunk carrying the finish callback,
// and uncorks: two queued chunks go out through `writev` (~13k instructions per reply under callgrind). A reply
// without a body (an allow) queues one chunk, a plain write. Writing the body inside our own cork and ending
// without a chunk queues only the header block with the body: the same bytes, one plain write, and `end()` then
// has nothing left to send. Every refusal carries a body (its JSON reason), so every refusal pays the difference.

import { type IncomingMessage, ServerResponse } from 'node:http'

export class OneWriteResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
  override end(cb?: () => void): this
  override end(chunk: unknown, cb?: () => void): this
  override end(chunk: unknown, encoding: BufferEncoding, cb?: () => void): this
  override end(chunk?: unknown, encoding?: unknown, cb?: unknown): this {
    // Only the call @hono/node-server makes: a string body after writeHead. Without headers written, node would
    // take the body's length for Content-Length only from end(body) (a write() first would make it chunked).
    if (typeof chunk === 'string' && chunk.length > 0 && encoding === undefined && cb === undefined) {
      if (this.headersSent && !this.writableEnded) {
        this.cork()
        this.write(chunk)
        this.uncork()
        return super.end()
      }
    }
    // biome-ignore lint/suspicious/noExplicitAny: node's own overloads, passed through unchanged.
    return super.end(chunk as any, encoding as any, cb as any)
  }
}
