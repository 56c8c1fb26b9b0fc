// Writes a backlog straight into a relay's SQLite file with the relay's own
// store code (from the dist/ copy), before the relay starts: so forwarding
// begins with the whole backlog queued, and no ingest traffic mixes in.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { wireEvent } from './ids.mjs'
import { distSnapshot } from './relay.mjs'

export async function writeBacklog(dbPath, ids, count, { perVisitor = 500, anonymous = 'forward' } = {}) {
  const { createSqliteStore } = await import(pathToFileURL(join(distSnapshot(), 'relay', 'store', 'sqlite.js')).href)
  const store = createSqliteStore({ path: dbPath })
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
  } finally {
    await store.close()
  }
  return made
}
