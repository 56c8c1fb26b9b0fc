import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import Database from 'better-sqlite3'
import pg from 'pg'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { MIGRATIONS } from '../../../src/relay/store/postgres-schema.js'
import { createPostgresStore, type PostgresStore } from '../../../src/relay/store/postgres.js'
import { migrate as migrateSqlite } from '../../../src/relay/store/sqlite-schema.js'
import type { Job, Store } from '../../../src/relay/store/types.js'
import { tempDir, wireEvent } from '../helpers.js'
import { createTestDatabase, queryDatabase, type TestDatabase } from '../postgres.js'
import { describeStoreContract } from './contract.js'

const open = (db: TestDatabase) => createPostgresStore({ connectionString: db.url, poolSize: 4 })

describeStoreContract('PostgreSQL', async () => {
  const db = await createTestDatabase()
  return { open: () => open(db), remove: () => db.drop() }
})

const T0 = 1_800_000_000_000
const LEASE = 600_000
const search = (text: string, ts: number) => wireEvent('searchRequest', { search: text }, { ts })
const searchOf = (job: Job) => (job.kind == 'event' ? (job.event.data as { search: string }).search : job.id)

describe('PostgreSQL store', () => {
  let db: TestDatabase | undefined
  let stores: PostgresStore[] = []
  const node = async () => {
    const store = await open(db!)
    stores.push(store)
    return store
  }
  afterEach(async () => {
    await Promise.all(stores.map((s) => s.close()))
    stores = []
    await db?.drop()
    db = undefined
  })

  it('migrates an empty database once when two nodes open it at the same moment', async () => {
    db = await createTestDatabase()
    const [a, b] = await Promise.all([node(), node()])
    const versions = MIGRATIONS.map((_, i) => i + 1)
    expect([a.migrated, b.migrated].sort()).toEqual([[], versions])
    expect((await node()).migrated).toEqual([])
    expect(await queryDatabase(db.url, 'SELECT version FROM schema_migrations ORDER BY version')).toEqual(versions.map((version) => ({ version })))
  })

  it('ends its migrations with the tables, columns and indexes a migrated SQLite file has', async () => {
    db = await createTestDatabase()
    await node()
    const dir = tempDir()
    const sqlite = new Database(join(dir, 'schema.db'))
    migrateSqlite(sqlite)
    const tables = sqlite
      .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
      .all()
      .map((t) => t.name)
    const sqliteColumns = tables.flatMap((t) => (sqlite.pragma(`table_info(${t})`) as { name: string }[]).map((c) => `${t}.${c.name}`))
    const sqliteIndexes = sqlite.prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`).all()
    sqlite.close()
    rmSync(dir, { recursive: true, force: true })
    const pgColumns = await queryDatabase<{ c: string }>(
      db.url,
      `SELECT table_name || '.' || column_name AS c FROM information_schema.columns WHERE table_name = ANY($1)`,
      [tables],
    )
    const pgIndexes = await queryDatabase<{ name: string }>(
      db.url,
      `SELECT indexname AS name FROM pg_indexes WHERE tablename = ANY($1) AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key'`,
      [tables],
    )
    expect(pgColumns.map((r) => r.c).sort()).toEqual(sqliteColumns.sort())
    expect(pgIndexes.map((r) => r.name).sort()).toEqual(sqliteIndexes.map((r) => r.name).sort())
  })

  it('fails a call stuck behind a lock after statementTimeoutMs instead of hanging, and works again once the lock is gone', async () => {
    db = await createTestDatabase()
    const store = await createPostgresStore({ connectionString: db.url, poolSize: 2, statementTimeoutMs: 200 })
    stores.push(store)
    const blocker = new pg.Client({ connectionString: db.url })
    await blocker.connect()
    try {
      await blocker.query('BEGIN')
      await blocker.query('LOCK TABLE jobs IN ACCESS EXCLUSIVE MODE')
      await expect(store.counts()).rejects.toThrow(/statement timeout/)
      await blocker.query('COMMIT')
      expect(await store.counts()).toMatchObject({ queued: 0 })
    } finally {
      await blocker.end()
    }
  })

  it('gives times back as numbers, not the strings pg makes of bigint', async () => {
    db = await createTestDatabase()
    const store = await node()
    await store.insertEvents({ visitor: 'visitor-int8', events: [search('x', T0 - 1)], receivedAt: T0, anonymous: 'forward' })
    const [job] = await store.claim({ limit: 1, now: T0, leaseMs: LEASE })
    expect(job).toMatchObject({ receivedAt: T0, queuedAt: T0 })
    expect(typeof job!.seq).toBe('number')
    expect(await store.counts()).toEqual({ held: 0, queued: 1, sent: 0, dead: 0, oldestQueuedAt: T0 })
  })

  it('leaves the leases of running nodes alone when another node opens: their jobs come back only when the lease ends', async () => {
    db = await createTestDatabase()
    const running = await node()
    await running.insertEvents({ visitor: 'visitor-lease', events: [search('a', T0), search('b', T0)], receivedAt: T0, anonymous: 'forward' })
    expect(await running.claim({ limit: 10, now: T0, leaseMs: LEASE })).toHaveLength(2)
    const starting = await node()
    expect(await starting.claim({ limit: 10, now: T0 + 1, leaseMs: LEASE })).toEqual([])
    expect(await starting.claim({ limit: 10, now: T0 + LEASE, leaseMs: LEASE })).toHaveLength(2)
  })

  it('never leaves an event held when another node links its visitor at the same moment', async () => {
    db = await createTestDatabase()
    const [a, b] = await Promise.all([node(), node()])
    const visitors = Array.from({ length: 40 }, (_, i) => `visitor-race-${i}`)
    await Promise.all(
      visitors.flatMap((visitor) => [
        a.insertEvents({ visitor, events: [search(`${visitor}-1`, T0 - 2), search(`${visitor}-2`, T0 - 1)], receivedAt: T0, anonymous: 'hold' }),
        b.linkVisitor({ visitor, locators: { email: 'buyer@example.com' }, since: T0, heldAfter: 0, at: T0 }),
      ]),
    )
    expect(await a.counts()).toMatchObject({ held: 0, queued: visitors.length * 2 })
  })

  it('replays late history that reaches two nodes at the same moment one event at a time', async () => {
    db = await createTestDatabase()
    const [a, b] = await Promise.all([node(), node()])
    const visitors = Array.from({ length: 40 }, (_, i) => `visitor-late-${i}`)
    for (const visitor of visitors) await a.linkVisitor({ visitor, locators: { email: 'buyer@example.com' }, since: T0, heldAfter: 0, at: T0 })
    // Each node gets one event from before the link: both become replay jobs, and only one may be due.
    await Promise.all(
      visitors.flatMap((visitor) => [
        a.insertEvents({ visitor, events: [search(`${visitor}-early`, T0 - 5)], receivedAt: T0, anonymous: 'hold' }),
        b.insertEvents({ visitor, events: [search(`${visitor}-later`, T0 - 3)], receivedAt: T0, anonymous: 'hold' }),
      ]),
    )
    const claimed = await a.claim({ limit: 1000, now: T0 + 1, leaseMs: LEASE })
    expect(claimed.map((j) => j.visitor).sort()).toEqual([...visitors].sort())
  })

  it('lets two nodes drain one queue at once: no job is leased twice, and each visitor’s replay goes one at a time in ts order', async () => {
    db = await createTestDatabase()
    const [a, b] = await Promise.all([node(), node()])
    // 12 visitors with 8 held events each, stored out of ts order in two batches, and 120 ordinary events.
    const replayed = new Map<string, string[]>()
    for (let v = 0; v < 12; v++) {
      const visitor = `visitor-replay-${v}`
      const events = Array.from({ length: 8 }, (_, i) => search(`${visitor}-${i}`, T0 - 100 + i))
      replayed.set(visitor, events.map((_, i) => `${visitor}-${i}`))
      const shuffled = [7, 2, 5, 0, 3, 6, 1, 4].map((i) => events[i]!)
      await a.insertEvents({ visitor, events: shuffled.slice(0, 4), receivedAt: T0, anonymous: 'hold' })
      await b.insertEvents({ visitor, events: shuffled.slice(4), receivedAt: T0, anonymous: 'hold' })
    }
    for (let v = 0; v < 12; v++) {
      const events = Array.from({ length: 10 }, (_, i) => search(`plain-${v}-${i}`, T0))
      await a.insertEvents({ visitor: `visitor-plain-${v}`, events, receivedAt: T0, anonymous: 'forward' })
    }
    const linking = [...replayed.keys()].map((visitor, i) =>
      (i % 2 ? a : b).linkVisitor({ visitor, locators: { email: 'buyer@example.com' }, since: T0, heldAfter: 0, at: T0 }),
    )
    await Promise.all(linking)
    const total = 12 * 8 + 120

    const leased = new Set<string>()
    const replaying = new Set<string>()
    const sent: string[] = []
    const order = new Map<string, string[]>()
    const claims = { a: 0, b: 0 }
    let clock = T0
    async function work(store: Store, name: 'a' | 'b') {
      while (sent.length < total) {
        const jobs = await store.claim({ limit: 5, now: ++clock, leaseMs: LEASE })
        claims[name] += jobs.length
        for (const job of jobs) {
          expect(leased.has(job.id), `${job.id} leased twice`).toBe(false)
          leased.add(job.id)
          if (!job.replay) continue
          expect(replaying.has(job.visitor), `two replay jobs of ${job.visitor} in flight`).toBe(false)
          replaying.add(job.visitor)
        }
        await nextTurn()
        // Every third replay job fails once and is retried at once: it must stay first.
        const settlements = jobs.map((job) => {
          leased.delete(job.id)
          replaying.delete(job.visitor)
          if (job.replay && job.attempts == 0 && job.seq % 3 == 0) {
            return { id: job.id, outcome: 'retry' as const, nextAttemptAt: clock, error: 'eSputnik answered 503', status: 503 }
          }
          sent.push(job.id)
          if (job.replay) order.set(job.visitor, [...(order.get(job.visitor) ?? []), searchOf(job)])
          return { id: job.id, outcome: 'sent' as const, at: clock }
        })
        if (jobs.length) await store.settle(settlements)
        else await nextTurn()
      }
    }
    // Two claimers per node, so claims also meet within one node's pool.
    await Promise.all([work(a, 'a'), work(b, 'b'), work(a, 'a'), work(b, 'b')])

    expect(new Set(sent).size).toBe(total)
    expect(sent).toHaveLength(total)
    expect(Object.fromEntries(order)).toEqual(Object.fromEntries(replayed))
    expect(claims.a).toBeGreaterThan(0)
    expect(claims.b).toBeGreaterThan(0)
    expect(await a.counts()).toMatchObject({ queued: 0, sent: total })
  })

  it('refuses to open when the server is not there', async () => {
    const url = new URL(inject('postgresUrl'))
    url.port = '1'
    await expect(createPostgresStore({ connectionString: url.toString(), connectTimeoutMs: 2000 })).rejects.toThrow(/ECONNREFUSED|connect/)
  })
})
