import type { Database } from 'better-sqlite3'
import type { Statements } from './dialect.js'
import { createSqliteEraseStatements } from './sqlite-erase-sql.js'
import { createSqliteOrderStatements } from './sqlite-order-sql.js'
import { createSqliteTelegramStatements } from './sqlite-telegram-sql.js'
import { COUNT_BY_STATE, JOB_COLUMNS, type DeadRow, type JobRow, type LinkRow } from './rows.js'

/**
 * The statements of the SQLite store (see Statements in dialect.ts for what
 * each does), prepared once. Each is one short step, so no call holds the
 * write lock for long. Lists of ids travel as one JSON array (`json_each`).
 */
export function createSqliteStatements(db: Database): Statements {
  const insert = db.prepare(
    `INSERT INTO jobs (id, kind, visitor, state, payload, locators, replay, past, received_at, queued_at, next_attempt_at, occurred_at)
     VALUES (@id, @kind, @visitor, @state, @payload, @locators, @replay, @past, @at, @queuedAt, @due, @ts)
     ON CONFLICT (id) DO NOTHING`,
  )
  const changes = (sql: string) => {
    const statement = db.prepare(sql)
    return (...params: unknown[]) => statement.run(...params).changes
  }
  const links = db.prepare<[string], LinkRow>('SELECT visitor, since, locators, linked_at FROM visitor_links WHERE visitor = ? ORDER BY since, seq')
  const countHeld = db.prepare<[string], { n: number }>(`SELECT count(*) AS n FROM jobs WHERE visitor = ? AND state = 'held' AND kind = 'event'`)
  const jobsOf = db.prepare<[string], { id: string; visitor: string; replay: number }>(
    `SELECT id, visitor, replay FROM jobs WHERE id IN (SELECT value FROM json_each(?))`,
  )
  // Only due jobs are claimable, and of a visitor's replay only its next step is due (see makeReplayDue).
  const claim = db.prepare<{ now: number; limit: number; until: number }, JobRow>(
    `UPDATE jobs SET lease_until = @until
     WHERE seq IN (SELECT seq FROM jobs WHERE state = 'queued' AND next_attempt_at <= @now
                   AND (lease_until IS NULL OR lease_until <= @now)
                   ORDER BY next_attempt_at, seq LIMIT @limit)
     RETURNING ${JOB_COLUMNS}`,
  )
  const listDead = db.prepare<[number, number], DeadRow>(
    `SELECT ${JOB_COLUMNS}, last_error, last_status, done_at
     FROM jobs WHERE state = 'dead' ORDER BY done_at DESC, seq DESC LIMIT ? OFFSET ?`,
  )
  const counts = db.prepare<[], { state: string; n: number }>(COUNT_BY_STATE)
  const oldest = db.prepare<[], { at: number | null }>(`SELECT min(received_at) AS at FROM jobs WHERE state = 'queued'`)
  const insertLink = changes('INSERT INTO visitor_links (visitor, since, locators, linked_at) VALUES (?, ?, ?, ?)')
  const dropHeld = changes(
    `DELETE FROM jobs WHERE seq IN (SELECT seq FROM jobs WHERE visitor = ? AND state = 'held' AND kind = 'event' ORDER BY occurred_at, seq LIMIT ?)`,
  )
  const replayState = db.prepare<[string], { due: number | null; past: number | null }>(
    `SELECT sum(next_attempt_at IS NOT NULL) AS due, sum(past) AS past FROM jobs WHERE visitor = ? AND state = 'queued' AND replay = 1`,
  )
  const makeReplayDue = changes(
    `UPDATE jobs SET next_attempt_at = @now
     WHERE seq IN (SELECT seq FROM jobs WHERE visitor = @visitor AND state = 'queued' AND replay = 1 AND past = @past
                     AND next_attempt_at IS NULL ORDER BY occurred_at, seq LIMIT @limit)`,
  )
  const releaseHeld = changes(
    `UPDATE jobs SET state = 'queued', locators = @locators, replay = 1, past = (kind = 'event' AND occurred_at < @pastBefore), queued_at = @now,
     next_attempt_at = NULL WHERE visitor = @visitor AND state = 'held' AND received_at >= @heldAfter`,
  )
  const retry = changes(
    `UPDATE jobs SET next_attempt_at = @nextAttemptAt, lease_until = NULL, attempts = attempts + @attempt, last_error = @error,
     last_status = @status WHERE id = @id AND state = 'queued'`,
  )
  const release = changes(`UPDATE jobs SET lease_until = NULL WHERE id = ? AND state = 'queued'`)
  const sent = changes(
    `UPDATE jobs SET state = 'sent', payload = NULL, locators = NULL, lease_until = NULL, done_at = ? WHERE id = ? AND state = 'queued'`,
  )
  const dead = changes(
    `UPDATE jobs SET state = 'dead', lease_until = NULL, attempts = attempts + 1, last_error = @reason, last_status = @status,
     done_at = @at WHERE id = @id AND state = 'queued'`,
  )
  const retryNow = changes(
    `UPDATE jobs SET next_attempt_at = @now
     WHERE state = 'queued' AND attempts > 0 AND next_attempt_at > @now AND (lease_until IS NULL OR lease_until <= @now)`,
  )
  // @ids NULL: every dead letter.
  const replayDead = changes(
    `UPDATE jobs SET state = 'queued', attempts = 0, queued_at = @now, next_attempt_at = @now,
     lease_until = NULL, last_error = NULL, last_status = NULL, done_at = NULL
     WHERE state = 'dead' AND (@ids IS NULL OR id IN (SELECT value FROM json_each(@ids)))`,
  )
  const purgeSent = changes(`DELETE FROM jobs WHERE seq IN (SELECT seq FROM jobs WHERE state = 'sent' AND received_at < ? LIMIT ?)`)
  const purgeHeld = changes(`DELETE FROM jobs WHERE seq IN (SELECT seq FROM jobs WHERE state = 'held' AND received_at < ? LIMIT ?)`)
  const heartbeat = changes(`INSERT INTO meta (k, v) VALUES ('heartbeat', ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v`)

  return {
    ...createSqliteEraseStatements(db),
    ...createSqliteTelegramStatements(db),
    ...createSqliteOrderStatements(db),
    // One connection writes at a time: the transaction itself serialises every writer.
    lockVisitors: () => undefined,
    links: (visitor) => links.all(visitor),
    insertLink,
    insertEvents: (visitor, at, rows) =>
      rows.map((r) => {
        const { id, state, payload, locators, queuedAt, due, ts } = r
        const flags = { replay: Number(r.replay), past: Number(r.past) }
        return insert.run({ id, kind: 'event', visitor, state, payload, locators, ...flags, at, queuedAt, due, ts }).changes > 0
      }),
    insertSubscribe: (request, at) => {
      const row = { id: request.id, kind: 'subscribe', visitor: request.visitor, state: 'queued', payload: JSON.stringify(request) }
      return insert.run({ ...row, locators: null, replay: 0, past: 0, at, queuedAt: at, due: at, ts: request.ts }).changes > 0
    },
    replayState: (visitor) => {
      const row = replayState.get(visitor)
      return { due: row?.due ?? 0, past: row?.past ?? 0 }
    },
    makeReplayDue: (visitor, past, limit, now) => makeReplayDue({ visitor, past: Number(past), limit, now }),
    countHeld: (visitor) => countHeld.get(visitor)!.n,
    dropHeld,
    releaseHeld: (visitor, locators, heldAfter, now, pastBefore) => releaseHeld({ visitor, locators, heldAfter, now, pastBefore }),
    jobsOf: (ids) => jobsOf.all(JSON.stringify(ids)),
    retry: (s) => retry({ id: s.id, nextAttemptAt: s.nextAttemptAt, error: s.error, status: s.status ?? null, attempt: s.attempt === false ? 0 : 1 }),
    release,
    markSent: (id, at) => sent(at, id),
    markDead: (s) => dead({ id: s.id, at: s.at, reason: s.reason, status: s.status ?? null }),
    claim: (now, limit, until) => claim.all({ now, limit, until }),
    listDead: (limit, offset) => listDead.all(limit, offset),
    replayDead: (ids, now) => replayDead({ ids: ids && JSON.stringify(ids), now }),
    retryNow: (now) => retryNow({ now }),
    counts: () => counts.all(),
    oldestQueued: () => oldest.get()?.at ?? null,
    purgeSent,
    purgeHeld,
    heartbeat,
  }
}
