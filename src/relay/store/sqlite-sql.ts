import type { Database } from 'better-sqlite3'
import { JOB_COLUMNS, type DeadRow, type JobRow, type LinkRow } from './rows.js'

/**
 * Every statement of the SQLite store, prepared once. Each is one short step,
 * so no call holds the write lock for long.
 */
export function prepareStatements(db: Database) {
  return {
    links: db.prepare<[string], LinkRow>('SELECT visitor, since, locators, linked_at FROM visitor_links WHERE visitor = ? ORDER BY since, seq'),
    insertLink: db.prepare('INSERT INTO visitor_links (visitor, since, locators, linked_at) VALUES (@visitor, @since, @locators, @at)'),
    insert: db.prepare(
      `INSERT INTO jobs (id, kind, visitor, state, payload, locators, replay, received_at, queued_at, next_attempt_at, occurred_at)
       VALUES (@id, @kind, @visitor, @state, @payload, @locators, @replay, @at, @queuedAt, @due, @ts)
       ON CONFLICT (id) DO NOTHING`,
    ),
    countHeld: db.prepare<[string], { n: number }>(`SELECT count(*) AS n FROM jobs WHERE visitor = ? AND state = 'held'`),
    dropHeld: db.prepare(
      `DELETE FROM jobs WHERE seq IN (SELECT seq FROM jobs WHERE visitor = ? AND state = 'held' ORDER BY occurred_at, seq LIMIT ?)`,
    ),
    // Only due jobs are claimable, and of a visitor's replay only its head is due (see promote).
    claim: db.prepare<{ now: number; limit: number; until: number }, JobRow>(
      `UPDATE jobs SET lease_until = @until
       WHERE seq IN (SELECT seq FROM jobs WHERE state = 'queued' AND next_attempt_at <= @now
                     AND (lease_until IS NULL OR lease_until <= @now)
                     ORDER BY next_attempt_at, seq LIMIT @limit)
       RETURNING ${JOB_COLUMNS}`,
    ),
    /**
     * A visitor's replay jobs wait with no next attempt time; this makes the
     * earliest by ts due, unless one of them is due already (in flight or
     * waiting for a retry). Run after queueing replay jobs and after settling
     * one as sent or dead, so they go one at a time, in order, at the cost of
     * one index probe per visitor rather than a scan per claim.
     */
    promote: db.prepare(
      `UPDATE jobs SET next_attempt_at = @now
       WHERE seq = (SELECT seq FROM jobs WHERE visitor = @visitor AND state = 'queued' AND replay = 1
                    ORDER BY occurred_at, seq LIMIT 1)
         AND next_attempt_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM jobs WHERE visitor = @visitor AND state = 'queued' AND replay = 1
                         AND next_attempt_at IS NOT NULL)`,
    ),
    jobOf: db.prepare<[string], { visitor: string; replay: number }>(`SELECT visitor, replay FROM jobs WHERE id = ?`),
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
    retryNow: db.prepare(
      `UPDATE jobs SET next_attempt_at = @now
       WHERE state = 'queued' AND attempts > 0 AND next_attempt_at > @now AND (lease_until IS NULL OR lease_until <= @now)`,
    ),
    release: db.prepare(`UPDATE jobs SET lease_until = NULL WHERE id = ? AND state = 'queued'`),
    listDead: db.prepare<[number, number], DeadRow>(
      `SELECT ${JOB_COLUMNS}, last_error, last_status, done_at
       FROM jobs WHERE state = 'dead' ORDER BY done_at DESC, seq DESC LIMIT ? OFFSET ?`,
    ),
    replay: db.prepare(
      `UPDATE jobs SET state = 'queued', attempts = 0, queued_at = @now, next_attempt_at = @now,
       lease_until = NULL, last_error = NULL, last_status = NULL, done_at = NULL
       WHERE state = 'dead' AND (@id IS NULL OR id = @id)`,
    ),
    releaseHeld: db.prepare(
      `UPDATE jobs SET state = 'queued', locators = @locators, replay = 1, queued_at = @now, next_attempt_at = NULL
       WHERE visitor = @visitor AND state = 'held' AND received_at >= @heldAfter`,
    ),
    counts: db.prepare<[], { state: string; n: number }>(
      `SELECT 'held' AS state, count(*) AS n FROM jobs WHERE state = 'held'
       UNION ALL SELECT 'queued', count(*) FROM jobs WHERE state = 'queued'
       UNION ALL SELECT 'sent', count(*) FROM jobs WHERE state = 'sent'
       UNION ALL SELECT 'dead', count(*) FROM jobs WHERE state = 'dead'`,
    ),
    oldest: db.prepare<[], { at: number | null }>(`SELECT min(received_at) AS at FROM jobs WHERE state = 'queued'`),
    purgeSent: db.prepare(
      `DELETE FROM jobs WHERE seq IN (SELECT seq FROM jobs WHERE state = 'sent' AND received_at < ? LIMIT ?)`,
    ),
    purgeHeld: db.prepare(
      `DELETE FROM jobs WHERE seq IN (SELECT seq FROM jobs WHERE state = 'held' AND received_at < ? LIMIT ?)`,
    ),
    heartbeat: db.prepare(`INSERT INTO meta (k, v) VALUES ('heartbeat', ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v`),
  }
}
