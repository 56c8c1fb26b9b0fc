import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import type { WireEvent } from '../../wire/types.js'
import type { Locators } from '../mapping.js'
import { migrate } from './sqlite-schema.js'
import type { DeadLetter, Job, JobKind, Settlement, Store, StoreCounts } from './types.js'

export interface SqliteStoreOptions {
  path: string
  /** NORMAL: a committed batch survives a crash of the process; FULL: also a power loss. */
  synchronous?: 'NORMAL' | 'FULL'
}

interface JobRow {
  seq: number
  id: string
  kind: JobKind
  visitor: string
  payload: string
  locators: string | null
  attempts: number
  received_at: number
  queued_at: number
  next_attempt_at: number
}

const toJob = (r: JobRow): Job => ({
  seq: r.seq,
  id: r.id,
  kind: r.kind,
  visitor: r.visitor,
  event: JSON.parse(r.payload) as WireEvent,
  locators: r.locators === null ? null : (JSON.parse(r.locators) as Locators),
  attempts: r.attempts,
  receivedAt: r.received_at,
  queuedAt: r.queued_at,
})

/**
 * The embedded Store: one file, WAL so readers never wait for the writer.
 * better-sqlite3 is synchronous, so every call is short: one statement or one
 * small transaction, never a long scan under the write lock.
 */
export interface SqliteStore extends Store {
  /** As SQLite reports them after opening, e.g. `{ journalMode: 'wal', synchronous: 1 }` (1 NORMAL, 2 FULL). */
  readonly settings: { journalMode: string; synchronous: number }
}

export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  if (options.path != ':memory:') mkdirSync(dirname(options.path), { recursive: true })
  const db = new Database(options.path)
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${options.synchronous == 'FULL' ? 'FULL' : 'NORMAL'}`)
  // The CLI may write while the relay runs; wait for the lock instead of failing.
  db.pragma('busy_timeout = 5000')
  migrate(db)

  const sql = {
    link: db.prepare<[string], { locators: string }>('SELECT locators FROM links WHERE visitor = ?'),
    insert: db.prepare(
      `INSERT INTO jobs (id, kind, visitor, state, payload, locators, received_at, queued_at, next_attempt_at)
       VALUES (@id, 'event', @visitor, @state, @payload, @locators, @at, @queuedAt, @queuedAt)
       ON CONFLICT (id) DO NOTHING`,
    ),
    claim: db.prepare<{ now: number; limit: number; until: number }, JobRow>(
      `UPDATE jobs SET lease_until = @until
       WHERE seq IN (SELECT seq FROM jobs WHERE state = 'queued' AND next_attempt_at <= @now
                     AND (lease_until IS NULL OR lease_until <= @now)
                     ORDER BY next_attempt_at, seq LIMIT @limit)
       RETURNING seq, id, kind, visitor, payload, locators, attempts, received_at, queued_at, next_attempt_at`,
    ),
    sent: db.prepare(
      `UPDATE jobs SET state = 'sent', payload = NULL, locators = NULL, lease_until = NULL, done_at = @at
       WHERE id = @id AND state = 'queued'`,
    ),
    retry: db.prepare(
      `UPDATE jobs SET next_attempt_at = @next, lease_until = NULL, attempts = attempts + 1,
       last_error = @error, last_status = @status WHERE id = @id AND state = 'queued'`,
    ),
    dead: db.prepare(
      `UPDATE jobs SET state = 'dead', lease_until = NULL, attempts = attempts + 1, last_error = @reason,
       last_status = @status, done_at = @at WHERE id = @id AND state = 'queued'`,
    ),
    release: db.prepare(`UPDATE jobs SET lease_until = NULL WHERE id = ? AND state = 'queued'`),
    listDead: db.prepare<[number, number], JobRow & { last_error: string; last_status: number | null; done_at: number }>(
      `SELECT seq, id, kind, visitor, payload, attempts, received_at, last_error, last_status, done_at
       FROM jobs WHERE state = 'dead' ORDER BY done_at DESC, seq DESC LIMIT ? OFFSET ?`,
    ),
    replay: db.prepare(
      `UPDATE jobs SET state = 'queued', attempts = 0, queued_at = @now, next_attempt_at = @now,
       lease_until = NULL, last_error = NULL, last_status = NULL, done_at = NULL
       WHERE state = 'dead' AND (@id IS NULL OR id = @id)`,
    ),
    upsertLink: db.prepare(
      `INSERT INTO links (visitor, locators, linked_at) VALUES (?, ?, ?)
       ON CONFLICT (visitor) DO UPDATE SET locators = excluded.locators, linked_at = excluded.linked_at`,
    ),
    release_held: db.prepare(
      `UPDATE jobs SET state = 'queued', locators = @locators, queued_at = @now, next_attempt_at = @now
       WHERE visitor = @visitor AND state = 'held'`,
    ),
    counts: db.prepare<[], { state: string; n: number }>(
      `SELECT 'held' AS state, count(*) AS n FROM jobs WHERE state = 'held'
       UNION ALL SELECT 'queued', count(*) FROM jobs WHERE state = 'queued'
       UNION ALL SELECT 'sent', count(*) FROM jobs WHERE state = 'sent'
       UNION ALL SELECT 'dead', count(*) FROM jobs WHERE state = 'dead'`,
    ),
    oldest: db.prepare<[], { at: number | null }>(
      `SELECT min(received_at) AS at FROM jobs WHERE state = 'queued'`,
    ),
    purgeSent: db.prepare(
      `DELETE FROM jobs WHERE seq IN (SELECT seq FROM jobs WHERE state = 'sent' AND received_at < ? LIMIT ?)`,
    ),
    purgeHeld: db.prepare(
      `DELETE FROM jobs WHERE seq IN (SELECT seq FROM jobs WHERE state = 'held' AND received_at < ? LIMIT ?)`,
    ),
    heartbeat: db.prepare(`INSERT INTO meta (k, v) VALUES ('heartbeat', ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v`),
  }

  const readLink = (visitor: string): Locators | undefined => {
    const row = sql.link.get(visitor)
    return row && (JSON.parse(row.locators) as Locators)
  }

  // The link is read inside the insert's transaction, so an event can never
  // be held after its visitor was linked (the release would miss it).
  const insertEvents = db.transaction((batch: Parameters<Store['insertEvents']>[0]) => {
    const link = readLink(batch.visitor)
    const state = link || batch.anonymous == 'forward' ? 'queued' : 'held'
    const result = { inserted: 0, duplicates: 0, held: 0, queued: 0 }
    for (const event of batch.events) {
      const { changes } = sql.insert.run({
        id: event.id,
        visitor: batch.visitor,
        state,
        payload: JSON.stringify(event),
        locators: link ? JSON.stringify(link) : null,
        at: batch.receivedAt,
        queuedAt: state == 'queued' ? batch.receivedAt : null,
      })
      if (changes == 0) result.duplicates++
      else result[state]++
    }
    result.inserted = result.held + result.queued
    return result
  })

  const settle = db.transaction((list: Settlement[]) => {
    for (const s of list) {
      if (s.outcome == 'sent') sql.sent.run({ id: s.id, at: s.at })
      else if (s.outcome == 'retry') sql.retry.run({ id: s.id, next: s.nextAttemptAt, error: s.error, status: s.status ?? null })
      else if (s.outcome == 'dead') sql.dead.run({ id: s.id, at: s.at, reason: s.reason, status: s.status ?? null })
      else sql.release.run(s.id)
    }
  })

  const replay = db.transaction((ids: string[] | 'all', now: number) => {
    if (ids == 'all') return sql.replay.run({ id: null, now }).changes
    return ids.reduce((n, id) => n + sql.replay.run({ id, now }).changes, 0)
  })

  const link = db.transaction((visitor: string, locators: Locators, now: number) => {
    const text = JSON.stringify(locators)
    sql.upsertLink.run(visitor, text, now)
    return { released: sql.release_held.run({ visitor, locators: text, now }).changes }
  })

  return {
    settings: {
      journalMode: db.pragma('journal_mode', { simple: true }) as string,
      synchronous: db.pragma('synchronous', { simple: true }) as number,
    },
    insertEvents: async (batch) => insertEvents(batch),
    claim: async ({ limit, now, leaseMs }) =>
      sql.claim
        .all({ now, limit, until: now + leaseMs })
        .sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.seq - b.seq)
        .map(toJob),
    settle: async (list) => settle(list),
    listDeadLetters: async ({ limit = 100, offset = 0 } = {}) =>
      sql.listDead.all(limit, offset).map(
        (r): DeadLetter => ({
          id: r.id,
          kind: r.kind,
          visitor: r.visitor,
          type: (JSON.parse(r.payload) as WireEvent).type,
          reason: r.last_error,
          status: r.last_status,
          attempts: r.attempts,
          receivedAt: r.received_at,
          deadAt: r.done_at,
        }),
      ),
    replayDeadLetters: async (ids, now) => replay(ids, now),
    linkVisitor: async (visitor, locators, now) => link(visitor, locators, now),
    getLink: async (visitor) => readLink(visitor),
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
