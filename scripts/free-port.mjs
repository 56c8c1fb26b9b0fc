// A loopback port nothing listens on right now, for the tests' child
// processes and the throwaway PostgreSQL server (scripts/pg-cluster.mjs).
// Plain JavaScript so both vitest and plain `node` load it; types in free-port.d.mts.
import { createServer } from 'node:net'

/** Binds port 0 on 127.0.0.1, reads the port the system gave, and closes again. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address == 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}
