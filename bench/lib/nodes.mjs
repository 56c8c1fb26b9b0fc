// The relay under test as the reliability runs and bench:forward start it:
// one node on a SQLite file (the default), or two nodes on one throwaway
// PostgreSQL database (--store postgres), each a process of its own.
import { createDatabase, openPostgresStore } from './postgres.mjs'
import { freePort, startRelayProcess } from './relay.mjs'
import { openStore } from './store.mjs'

/** `--store` of the bench scripts. */
export const STORES = ['sqlite', 'postgres']

/**
 * Starts the nodes: `store` 'sqlite' gives one on `<dir>/relay.db`, 'postgres'
 * `count` (default 2) on a new database (or `databaseUrl`). Each keeps its port across restarts.
 */
export async function startNodes({ store = 'sqlite', dir, env = {}, count = store == 'postgres' ? 2 : 1, name = 'relay', databaseUrl: given }) {
  const databaseUrl = store == 'postgres' ? (given ?? (await createDatabase(name))) : undefined
  const base = databaseUrl ? { ...env, DATABASE_URL: databaseUrl } : env
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()))
  const start = (i) => startRelayProcess({ dir, port: ports[i], name: count == 1 ? name : `${name}-${i + 1}`, env: base })
  const nodes = await Promise.all(ports.map((_, i) => start(i)))
  const readStore = async () => {
    if (databaseUrl) return openPostgresStore(databaseUrl)
    const s = openStore(nodes[0].dbPath)
    return { counts: async () => s.counts(), ids: async () => s.ids(), idsIn: async (state) => s.idsIn(state), deadLetters: async (n) => s.deadLetters(n), close: async () => s.close() }
  }
  return {
    store,
    databaseUrl,
    nodes,
    urls: () => nodes.map((n) => n.url),
    /** SIGKILLs node `i` and starts it again on the same port (and file or database). */
    async restart(i) {
      await nodes[i].kill9()
      nodes[i] = await start(i)
      return nodes[i]
    },
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()))
    },
    /** Reads what the nodes committed (call close() after). */
    readStore,
    async queued() {
      const s = await readStore()
      try {
        return (await s.counts()).queued
      } finally {
        await s.close()
      }
    },
    /** How the run was set up, for the report. */
    describe: () =>
      databaseUrl
        ? `${count} relay nodes (\`node dist/relay/main.js\`, each a process) on one throwaway PostgreSQL database (DATABASE_URL)`
        : 'one relay (`node dist/relay/main.js`) on a SQLite file',
  }
}
