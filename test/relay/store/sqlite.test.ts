import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { MIGRATIONS } from '../../../src/relay/store/sqlite-schema.js'
import { createSqliteStore } from '../../../src/relay/store/sqlite.js'
import type { Store } from '../../../src/relay/store/types.js'
import ts from 'typescript'
import { tempDir, waitFor, wireEvent } from '../helpers.js'
import { describeStoreContract } from './contract.js'

/**
 * Node 20 cannot run the .ts source in a worker, so the test compiles it into
 * node_modules/.cache (where `better-sqlite3` still resolves), as tsc would into dist.
 */
function compiledCheckpointer(): URL {
  const source = readFileSync('src/relay/store/checkpointer.ts', 'utf8')
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } })
  const dir = resolve('node_modules/.cache/esputnik-relay-test')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `checkpointer-${process.pid}.mjs`)
  writeFileSync(file, outputText)
  return pathToFileURL(file)
}

describeStoreContract('SQLite', async () => {
  const dir = tempDir()
  const path = join(dir, 'store.db')
  let store: Store = createSqliteStore({ path })
  return {
    store,
    async reopen() {
      await store.close()
      store = createSqliteStore({ path })
      return store
    },
    async cleanup() {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
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

  it('as the owner, checkpoints the WAL from a worker so commits never do, and the WAL stays bounded', async () => {
    const dir = tempDir()
    const path = join(dir, 'wal.db')
    const store = createSqliteStore({ path, owner: true, checkpointEveryMs: 50, checkpointerScript: compiledCheckpointer() })
    const sizes: number[] = []
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 20; i++) {
        const events = Array.from({ length: 50 }, () => wireEvent('searchRequest', { search: 'mug'.repeat(50) }))
        await store.insertEvents({ visitor: `visitor-${round}-${i}-xx`, events, receivedAt: 1, anonymous: 'forward' })
      }
      sizes.push(statSync(`${path}-wal`).size)
      const runs = store.checkpointer.runs
      await waitFor(() => store.checkpointer.runs > runs + 1 && store.checkpointer.last?.checkpointed == store.checkpointer.last?.log, 'a full checkpoint')
    }
    expect((await store.counts()).queued).toBe(10_000)
    expect(store.checkpointer).toMatchObject({ mode: 'worker', last: { busy: 0 } })
    // Ten rounds written; the WAL is reused after each checkpoint instead of growing with them (autocheckpoint is off).
    const total = sizes.reduce((a, b) => a + b, 0)
    expect(Math.max(...sizes)).toBeLessThan(total / 4)
    await store.close()
    // The worker's connection closed first, so the relay's checkpointed and removed the WAL.
    expect(existsSync(`${path}-wal`)).toBe(false)
    rmSync(dir, { recursive: true, force: true })
  })

  it('as the owner, checkpoints on the main thread if the worker cannot start', async () => {
    const dir = tempDir()
    const path = join(dir, 'fallback.db')
    const store = createSqliteStore({ path, owner: true, checkpointEveryMs: 20, checkpointerScript: new URL('file:///nonexistent/checkpointer.js') })
    await store.insertEvents({ visitor: 'visitor-fallback', events: [wireEvent('pageViewed', {})], receivedAt: 1, anonymous: 'forward' })
    expect(store.checkpointer.mode).toBe('main-thread')
    await waitFor(() => store.checkpointer.runs > 0, 'a checkpoint on the main thread')
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('as the owner, turns autocheckpoint off and keeps the synchronous setting', async () => {
    const dir = tempDir()
    const store = createSqliteStore({ path: join(dir, 'owner.db'), owner: true, synchronous: 'FULL' })
    expect(store.settings).toEqual({ journalMode: 'wal', synchronous: 2 })
    const plain = createSqliteStore({ path: join(dir, 'plain.db') })
    expect(plain.checkpointer.mode).toBe('sqlite')
    await store.close()
    await store.close()
    await plain.close()
    rmSync(dir, { recursive: true, force: true })
  })
})
