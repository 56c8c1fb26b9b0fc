// Writes a backlog straight into a relay's SQLite file with the relay's own
// store code (from the dist/ copy), before the relay starts: so forwarding
// begins with the whole backlog queued, and no ingest traffic mixes in.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { wireEvent } from './ids.mjs'
import { distSnapshot } from './relay.mjs'

export async function writeBacklog(dbPath, ids, count, { perVisitor = 500, anonymous = 'forward', subscribes = 0 } = {}) {
  const { createSqliteStore } = await import(pathToFileURL(join(distSnapshot(), 'relay', 'store', 'sqlite.js')).href)
  return fill(createSqliteStore({ path: dbPath }), ids, count, { perVisitor, anonymous, subscribes })
}

/** The same backlog in a PostgreSQL database, written with the relay's PostgreSQL store (which migrates it first). */
export async function writePostgresBacklog(url, ids, count, subscribes = 0, { perVisitor = 500, anonymous = 'forward' } = {}) {
  const { createPostgresStore } = await import(pathToFileURL(join(distSnapshot(), 'relay', 'store', 'postgres.js')).href)
  return fill(await createPostgresStore({ connectionString: url, poolSize: 2 }), ids, count, { perVisitor, anonymous, subscribes })
}

/** `count` events of new visitors, `perVisitor` each, then `subscribes` subscribe requests of visitors of their own. */
async function fill(store, ids, count, { perVisitor, anonymous, subscribes }) {
  const made = []
  const now = Date.now()
  try {
    while (made.length < count) {
      const visitor = ids.visitor()
      const events = []
      for (let i = 0; i < Math.min(perVisitor, count - made.length); i++) events.push(wireEvent(ids.next(), made.length + i, now))
      await store.insertEvents({ visitor, events, receivedAt: now, anonymous })
      for (const e of events) made.push(e.id)
    }
    for (let i = 0; i < subscribes; i++) {
      const request = { id: ids.next(), ts: now, visitor: ids.visitor(), email: `bench-${i}@example.com` }
      await store.insertSubscribe({ request, receivedAt: now })
    }
  } finally {
    await store.close()
  }
  return made
}
