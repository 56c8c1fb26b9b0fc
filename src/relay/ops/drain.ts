import type { Server } from 'node:http'
import type { Socket } from 'node:net'

export interface Drain {
  /** From now on a connection closes as soon as it has no request in flight; idle ones close at once. */
  closeIdle(): void
}

/**
 * Lets a closing server end promptly. Node's server.close() waits for every
 * open connection, and one that never sent a request (a browser's preconnect,
 * a pooled client socket) can hold it until the headers timeout. Requests in
 * flight still finish; only connections with nothing in flight are cut.
 */
export function trackConnections(server: Server): Drain {
  const inFlight = new Map<Socket, number>()
  let closing = false
  server.on('connection', (socket: Socket) => {
    inFlight.set(socket, 0)
    socket.once('close', () => inFlight.delete(socket))
  })
  server.on('request', (request, response) => {
    const socket = request.socket as Socket
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1)
    response.once('close', () => {
      const left = (inFlight.get(socket) ?? 1) - 1
      inFlight.set(socket, left)
      if (closing && left == 0) socket.destroy()
    })
  })
  return {
    closeIdle() {
      closing = true
      for (const [socket, n] of inFlight) if (n == 0) socket.destroy()
    },
  }
}
