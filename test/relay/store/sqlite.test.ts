import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { MIGRATIONS } from '../../../src/relay/store/sqlite-schema.js'
import { createSqliteStore } from '../../../src/relay/store/sqlite.js'
import { tempDir, wireEvent } from '../helpers.js'
import { describeStoreContract } from './contract.js'

describeStoreContract('SQLite', async () => {
  const dir = tempDir()
  return {
    open: async () => createSqliteStore({ path: join(dir, 'store.db') }),
    remove: async () => rmSync(dir, { recursive: true, force: true }),
  }
})

describe('SQLite store', () => {
  it('runs in WAL mode with synchronous NORMAL by default and FULL on request', async () => {
    const dir = tempDir()
    const normal = createSqliteStore({ path: join(dir, 'normal.db') })
    const full = createSqliteStore({ path: join(dir, 'full.db'), synchronous: 'FULL' })
    expect(normal.settings).toEqual({ journalMode: 'wal', synchronous: 1 })
    expect(full.settings).toEqual({ journalMode: 'wal', synchronous: 2 })
    await normal.close()
    await full.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('migrates a database of the first schema: links, held and queued events carry over', async () => {
    const dir = tempDir()
    const path = join(dir, 'v1.db')
    const db = new Database(path)
    db.exec(MIGRATIONS[0]!)
    db.pragma('user_version = 1')
    const insert = db.prepare(
      `INSERT INTO jobs (id, kind, visitor, state, payload, locators, received_at, queued_at, next_attempt_at) VALUES (?, 'event', ?, ?, ?, ?, 1, ?, ?)`,
    )
    const late = wireEvent('searchRequest', { search: 'late' }, { ts: 20 })
    const early = wireEvent('searchRequest', { search: 'early' }, { ts: 10 })
    const queued = wireEvent('searchRequest', { search: 'queued' }, { ts: 5 })
    insert.run(late.id, 'visitor-old-held', 'held', JSON.stringify(late), null, null, null)
    insert.run(early.id, 'visitor-old-held', 'held', JSON.stringify(early), null, null, null)
    insert.run(queued.id, 'visitor-old-link', 'queued', JSON.stringify(queued), '{"email":"a@b.co"}', 1, 1)
    db.prepare(`INSERT INTO links (visitor, locators, linked_at) VALUES ('visitor-old-link', '{"email":"a@b.co"}', 1234)`).run()
    db.close()

    const store = createSqliteStore({ path })
    expect(await store.listLinks('visitor-old-link')).toEqual([{ visitor: 'visitor-old-link', locators: { email: 'a@b.co' }, since: 1234, linkedAt: 1234 }])
    expect(await store.linkVisitor({ visitor: 'visitor-old-held', locators: { phone: '380501234567' }, since: 30, heldAfter: 0, at: 40 })).toEqual({ changed: true, released: 2 })
    const order: string[] = []
    for (let jobs; (jobs = await store.claim({ limit: 10, now: 50, leaseMs: 1000 })).length; ) {
      for (const job of jobs) order.push(job.kind == 'event' ? (job.event.data as { search: string }).search : '')
      await store.settle(jobs.map((j) => ({ id: j.id, outcome: 'sent' as const, at: 50 })))
    }
    // The held events replay in ts order (occurred_at was filled from their payloads).
    expect(order.filter((s) => s != 'queued')).toEqual(['early', 'late'])
    expect(order).toContain('queued')
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('creates the folder of its database file', async () => {
    const dir = tempDir()
    const store = createSqliteStore({ path: join(dir, 'a', 'b', 'relay.db') })
    await expect(store.checkWritable(1)).resolves.toBeUndefined()
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('stores 10 000 events in batches of 50 in well under a second', async () => {
    const dir = tempDir()
    const store = createSqliteStore({ path: join(dir, 'bulk.db') })
    const started = performance.now()
    for (let i = 0; i < 200; i++) {
      const events = Array.from({ length: 50 }, () => wireEvent('searchRequest', { search: 'mug' }))
      await store.insertEvents({ visitor: `visitor-${i}-xx`, events, receivedAt: 1, anonymous: 'forward' })
    }
    const ms = performance.now() - started
    expect((await store.counts()).queued).toBe(10_000)
    expect(ms).toBeLessThan(1000)
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('as the owner, makes the jobs a killed relay had claimed due at once; the CLI beside a relay leaves leases alone', async () => {
    const dir = tempDir()
    const path = join(dir, 'crash.db')
    const now = 1_800_000_000_000
    const first = createSqliteStore({ path, owner: true })
    await first.insertEvents({ visitor: 'visitor-crash', events: [wireEvent('pageViewed', {}), wireEvent('pageViewed', {})], receivedAt: now, anonymous: 'forward' })
    expect(await first.claim({ limit: 10, now, leaseMs: 60_000 })).toHaveLength(2)
    // Killed: nothing settled. The file is opened again as a restarted relay would.
    await first.close()
    const cli = createSqliteStore({ path })
    expect(cli.recoveredLeases).toBe(0)
    expect(await cli.claim({ limit: 10, now: now + 1, leaseMs: 60_000 })).toEqual([])
    await cli.close()
    const restarted = createSqliteStore({ path, owner: true })
    expect(restarted.recoveredLeases).toBe(2)
    expect(await restarted.claim({ limit: 10, now: now + 2, leaseMs: 60_000 })).toMatchObject([{ attempts: 0 }, { attempts: 0 }])
    await restarted.close()
    rmSync(dir, { recursive: true, force: true })
  })
})
