import { connect } from 'node:net'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { createSqliteStore } from '../../../src/relay/store/sqlite.js'
import { batchOf, startTestRelay, tempDir, wireEvent } from '../helpers.js'

const DAY = 86_400_000

/** Fills the store with sent events received `ageMs` ago, straight through SQL for speed. */
function seedSent(path: string, count: number, ageMs: number) {
  createSqliteStore({ path }).close()
  const db = new Database(path)
  const insert = db.prepare(
    `INSERT INTO jobs (id, kind, visitor, state, received_at, done_at) VALUES (?, 'event', 'visitor-old', 'sent', ?, ?)`,
  )
  const at = Date.now() - ageMs
  db.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(`old-event-${i}`, at, at)
  })()
  db.close()
}

describe('purging sent events', () => {
  it('deletes sent events older than the dedup window in chunks, and keeps newer ones', async () => {
    const dir = tempDir()
    seedSent(join(dir, 'relay.db'), 1234, 8 * DAY)
    const relay = await startTestRelay({ dir, config: { autoStart: false, purgeChunk: 100 } })
    await relay.send(batchOf('visitor-new-1', [wireEvent('pageViewed', {})]))
    expect(await relay.app.relay.purger.runOnce()).toEqual({ sent: 1234, held: 0 })
    expect(await relay.app.relay.store.counts()).toMatchObject({ sent: 0, queued: 1 })
    await relay.stop()
  })

  it('keeps answering beacons while a large purge runs', async () => {
    const dir = tempDir()
    seedSent(join(dir, 'relay.db'), 40_000, 8 * DAY)
    const relay = await startTestRelay({ dir, config: { autoStart: false, purgeChunk: 500 } })
    const started = performance.now()
    const purge = relay.app.relay.purger.runOnce()
    const res = await relay.send(batchOf('visitor-during-purge', [wireEvent('pageViewed', {})]))
    const answeredAfter = performance.now() - started
    const removed = await purge
    const purgeMs = performance.now() - started
    expect(res.status).toBe(202)
    expect(removed.sent).toBe(40_000)
    // The beacon did not wait for the whole purge, only for a chunk or two.
    expect(answeredAfter).toBeLessThan(purgeMs)
    await relay.stop()
  })
})

describe('closing the relay', () => {
  it('does not wait for a connection that never sent a request', async () => {
    const relay = await startTestRelay({ config: { autoStart: false } })
    const { port } = new URL(relay.url)
    const idle = connect(Number(port), '127.0.0.1')
    await new Promise((resolve) => idle.once('connect', resolve))
    const started = performance.now()
    await relay.stop()
    expect(performance.now() - started).toBeLessThan(2000)
    idle.destroy()
  })
})
