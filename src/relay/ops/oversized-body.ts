import type { IncomingMessage } from 'node:http'
import type { FastifyInstance } from 'fastify'

/** Most bytes of a refused body read after its 413: ample for any client that means no harm (the SDK sends at most 64 KB). */
export const DRAIN_MAX_BYTES = 32 * 1024 * 1024
/** Longest a refused body is read after its 413. */
export const DRAIN_MAX_MS = 10_000

export interface OversizedBodyOptions {
  /** @defaultValue DRAIN_MAX_BYTES */
  maxBytes?: number
  /** @defaultValue DRAIN_MAX_MS */
  maxMs?: number
}

/**
 * Makes sure a client whose body is over a route's limit reads its 413.
 *
 * fastify answers 413 as soon as the Content-Length (or the bytes so far)
 * pass the limit, with `Connection: close`, and Node then closes the socket
 * while the client is still sending. Data that reaches a closed socket makes
 * the kernel answer with a reset, and a reset makes the client's kernel
 * throw away what it had received and not yet read: the 413 itself. So a
 * client saw "connection reset" instead of an answer, now and then (2 in
 * 10,000 hostile bodies). Here the 413 goes out without `Connection: close`
 * and the rest of the body is read and dropped (Node keeps the connection
 * for the next request once it ends); only a client that goes on sending
 * past `maxBytes` or `maxMs` has its connection cut. A Content-Length over
 * `maxBytes` keeps fastify's close: that body would be cut anyway.
 *
 * Register before the routes: hooks reach the routes registered after them.
 */
export function answerOversizedBodies(app: FastifyInstance, options: OversizedBodyOptions = {}): void {
  const maxBytes = options.maxBytes ?? DRAIN_MAX_BYTES
  const maxMs = options.maxMs ?? DRAIN_MAX_MS
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode != 413 || request.raw.complete) return payload
    const declared = Number(request.headers['content-length'])
    if (declared > maxBytes) return payload
    reply.removeHeader('connection')
    drain(request.raw, maxBytes, maxMs)
    return payload
  })
}

/** Reads the rest of a request and drops it; cuts the connection past `maxBytes` or `maxMs`. */
function drain(request: IncomingMessage, maxBytes: number, maxMs: number) {
  let bytes = 0
  const cut = () => {
    clearTimeout(timer)
    request.socket.destroy()
  }
  const timer = setTimeout(cut, maxMs)
  timer.unref()
  request.on('data', (chunk: Buffer) => {
    bytes += chunk.length
    if (bytes > maxBytes) cut()
  })
  request.once('end', () => clearTimeout(timer))
  request.once('close', () => clearTimeout(timer))
  request.resume()
}
