import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { isSameLink, pickLink } from './links.js'
import { migrate } from './sqlite-schema.js'
import { toClaimed, toDeadLetter, toLink } from './rows.js'
import { prepareStatements } from './sqlite-sql.js'
import type { InsertResult, LinkResult, NewEvents, NewLink, Settlement, SettleResult, Store, StoreCounts } from './types.js'

export interface SqliteStoreOptions {
  path: string
  /** NORMAL: a committed batch survives a crash of the process; FULL: also a power loss. */
  synchronous?: 'NORMAL' | 'FULL'
  /**
   * This process is the relay that owns the file (the CLI, which may open it
   * beside a running relay, is not): it clears at open the leases a killed
   * predecessor left, since only one relay uses a SQLite file and so no live
   * process holds them.
   */
  owner?: boolean
}

/**
 * The embedded Store: one file, WAL so readers never wait for the writer.
 * better-sqlite3 is synchronous, so every call is short: one statement or one
 * small transaction, never a long scan under the write lock.
 */
export interface SqliteStore extends Store {
  /** As SQLite reports them after opening, e.g. `{ journalMode: 'wal', synchronous: 1 }` (1 NORMAL, 2 FULL). */
  readonly settings: { journalMode: string; synchronous: number }
  /** Leases cleared at open (an owner only). */
  readonly recoveredLeases: number
}

export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  if (options.path != ':memory:') mkdirSync(dirname(options.path), { recursive: true })
  const db = new Database(options.path)
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${options.synchronous == 'FULL' ? 'FULL' : 'NORMAL'}`)
  // The CLI may write while the relay runs; wait for the lock instead of failing.
  db.pragma('busy_timeout = 5000')
  migrate(db)
  let recoveredLeases = 0
  if (options.owner) {
    // No other process uses the file, so every lease is a dead predecessor's: its jobs are due now, not in a minute.
    recoveredLeases = db.prepare(`UPDATE jobs SET lease_until = NULL WHERE state = 'queued' AND lease_until IS NOT NULL`).run().changes
  }
  const sql = prepareStatements(db)
  const readLinks = (visitor: string) => sql.links.all(visitor).map(toLink)

  // The links are read inside the insert's transaction, so an event can never
  // be held after its visitor was linked (the release would miss it).
  const insertEvents = db.transaction((batch: NewEvents): InsertResult => {
    const { visitor } = batch
    const links = readLinks(visitor)
    const result = { inserted: 0, duplicates: 0, held: 0, queued: 0, dropped: 0 }
    let replays = 0
    for (const event of batch.events) {
      const link = pickLink(links, event.ts)
      const state = link || batch.anonymous == 'forward' ? 'queued' : 'held'
      // Anonymous history that arrives after the first link is replayed like held history.
      const replay = link && event.ts < links[0]!.since ? 1 : 0
      const queuedAt = state == 'queued' ? batch.receivedAt : null
      const { changes } = sql.insert.run({
        id: event.id,
        kind: 'event',
        visitor,
        state,
        payload: JSON.stringify(event),
        locators: link ? JSON.stringify(link.locators) : null,
        replay,
        at: batch.receivedAt,
        queuedAt,
        due: replay ? null : queuedAt,
        ts: event.ts,
      })
      if (changes == 0) result.duplicates++
      else result[state]++
      replays += replay * changes
    }
    if (replays) sql.promote.run({ visitor, now: batch.receivedAt })
    result.inserted = result.held + result.queued
    if (result.held && batch.maxHeld) {
      const excess = sql.countHeld.get(visitor)!.n - batch.maxHeld
      if (excess > 0) result.dropped = sql.dropHeld.run(visitor, excess).changes
    }
    return result
  })

  const link = db.transaction((l: NewLink): LinkResult => {
    let links = readLinks(l.visitor)
    const changed = !isSameLink(pickLink(links, l.since)?.locators, l.locators)
    if (changed) {
      sql.insertLink.run({ visitor: l.visitor, since: l.since, locators: JSON.stringify(l.locators), at: l.at })
      links = readLinks(l.visitor)
    }
    // Events are held only while a visitor has no link at all, so they are all its first contact's history.
    const first = JSON.stringify(links[0]!.locators)
    const released = sql.releaseHeld.run({ visitor: l.visitor, locators: first, heldAfter: l.heldAfter, now: l.at }).changes
    if (released) sql.promote.run({ visitor: l.visitor, now: l.at })
    return { changed, released }
  })

  const settle = db.transaction((list: Settlement[]): SettleResult => {
    const result = { linked: 0, released: 0 }
    for (const s of list) {
      if (s.outcome == 'retry') sql.retry.run({ id: s.id, next: s.nextAttemptAt, error: s.error, status: s.status ?? null })
      else if (s.outcome == 'release') sql.release.run(s.id)
      else {
        const job = sql.jobOf.get(s.id)
        const { changes } =
          s.outcome == 'sent' ? sql.sent.run({ id: s.id, at: s.at }) : sql.dead.run({ id: s.id, at: s.at, reason: s.reason, status: s.status ?? null })
        if (!job || !changes) continue
        // The next of this visitor's replay may go now.
        if (job.replay) sql.promote.run({ visitor: job.visitor, now: s.at })
        if (s.outcome != 'sent' || !s.link) continue
        const linked = link({ ...s.link, visitor: job.visitor, at: s.at })
        result.linked += Number(linked.changed)
        result.released += linked.released
      }
    }
    return result
  })

  const replay = db.transaction((ids: string[] | 'all', now: number) => {
    if (ids == 'all') return sql.replay.run({ id: null, now }).changes
    return ids.reduce((n, id) => n + sql.replay.run({ id, now }).changes, 0)
  })

  return {
    settings: {
      journalMode: db.pragma('journal_mode', { simple: true }) as string,
      synchronous: db.pragma('synchronous', { simple: true }) as number,
    },
    recoveredLeases,
    insertEvents: async (batch) => insertEvents(batch),
    insertSubscribe: async ({ request, receivedAt }) => {
      const { changes } = sql.insert.run({
        id: request.id,
        kind: 'subscribe',
        visitor: request.visitor,
        state: 'queued',
        payload: JSON.stringify(request),
        locators: null,
        replay: 0,
        at: receivedAt,
        queuedAt: receivedAt,
        due: receivedAt,
        ts: request.ts,
      })
      return { inserted: changes == 1 }
    },
    claim: async ({ limit, now, leaseMs }) => toClaimed(sql.claim.all({ now, limit, until: now + leaseMs })),
    settle: async (list) => settle(list),
    listDeadLetters: async ({ limit = 100, offset = 0 } = {}) => sql.listDead.all(limit, offset).map(toDeadLetter),
    replayDeadLetters: async (ids, now) => replay(ids, now),
    retryNow: async (now) => sql.retryNow.run({ now }).changes,
    linkVisitor: async (l) => link(l),
    getLink: async (visitor) => readLinks(visitor).at(-1)?.locators,
    listLinks: async (visitor) => readLinks(visitor),
    counts: async () => {
      const counts = { held: 0, queued: 0, sent: 0, dead: 0 } as StoreCounts
      for (const { state, n } of sql.counts.all()) counts[state as 'held'] = n
      counts.oldestQueuedAt = sql.oldest.get()?.at ?? null
      return counts
    },
    purge: async ({ sentBefore, heldBefore, limit }) => ({
      sent: sql.purgeSent.run(sentBefore, limit).changes,
      held: sql.purgeHeld.run(heldBefore, limit).changes,
    }),
    checkWritable: async (now) => {
      sql.heartbeat.run(String(now))
    },
    close: async () => {
      if (db.open) db.close()
    },
  }
}
