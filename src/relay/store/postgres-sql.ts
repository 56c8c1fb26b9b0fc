import type pg from 'pg'
import type { Statements } from './dialect.js'
import { createPostgresEraseStatements } from './postgres-erase-sql.js'
import { LOCK_VISITOR } from './postgres-schema.js'
import { createPostgresOrderStatements } from './postgres-order-sql.js'
import { createPostgresTelegramStatements } from './postgres-telegram-sql.js'
import { COUNT_BY_STATE, JOB_COLUMNS, type DeadRow, type JobRow, type LinkRow } from './rows.js'

/**
 * The statements of the PostgreSQL store (see Statements in dialect.ts for
 * what each does), the same steps as sqlite-sql.ts.
 * Every bigint comes back as a number (the pool parses int8), every time is
 * ms since the epoch. Payloads and locators are JSON in text columns, not
 * jsonb: jsonb refuses a `\u0000` that JSON.stringify may write, and the
 * relay never queries inside them.
 */

export const SQL = {
  /** Across every node, in the order of the keys given (lockVisitors below sorts them). */
  lockVisitors: 'SELECT pg_advisory_xact_lock($1, k) FROM unnest($2::int4[]) AS k',
  links: 'SELECT visitor, since, locators, linked_at FROM visitor_links WHERE visitor = $1 ORDER BY since, seq',
  insertLink: 'INSERT INTO visitor_links (visitor, since, locators, linked_at) VALUES ($1, $2, $3, $4)',
  /** A whole batch in one statement; RETURNING names the ids that were new. Rows go in batch order, so seq follows it. */
  insertEvents: `INSERT INTO jobs (id, kind, visitor, state, payload, locators, replay, past, received_at, queued_at, next_attempt_at, occurred_at)
    SELECT id, 'event', $1, state, payload, locators, replay, past, $2, queued_at, due, ts
    FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[], $8::bigint[], $9::bigint[], $10::bigint[], $11::boolean[])
      WITH ORDINALITY AS t (id, state, payload, locators, replay, queued_at, due, ts, past, n)
    ORDER BY n
    ON CONFLICT (id) DO NOTHING
    RETURNING id`,
  insertSubscribe: `INSERT INTO jobs (id, kind, visitor, state, payload, received_at, queued_at, next_attempt_at, occurred_at)
    VALUES ($1, 'subscribe', $2, 'queued', $3, $4, $4, $4, $5)
    ON CONFLICT (id) DO NOTHING`,
  countHeld: `SELECT count(*) AS n FROM jobs WHERE visitor = $1 AND state = 'held' AND kind = 'event'`,
  dropHeld: `DELETE FROM jobs WHERE seq IN (SELECT seq FROM jobs WHERE visitor = $1 AND state = 'held' AND kind = 'event' ORDER BY occurred_at, seq LIMIT $2)`,
  /**
   * The queue pattern: a node locks the due rows it takes and skips the ones
   * another node is taking, then leases them in the same statement. A row
   * another node leased since this statement's snapshot is re-checked against
   * the WHERE (READ COMMITTED), so it is not taken twice. Only a visitor's
   * replay step is ever due (see makeReplayDue), so this needs no replay check.
   */
  claim: `WITH due AS (
      SELECT seq FROM jobs
      WHERE state = 'queued' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
      ORDER BY next_attempt_at, seq LIMIT $2
      FOR UPDATE SKIP LOCKED)
    UPDATE jobs SET lease_until = $3 FROM due WHERE jobs.seq = due.seq
    RETURNING ${JOB_COLUMNS.split(', ').map((c) => `jobs.${c}`).join(', ')}`,
  replayState: `SELECT count(*) FILTER (WHERE next_attempt_at IS NOT NULL) AS due, count(*) FILTER (WHERE past) AS past
    FROM jobs WHERE visitor = $1 AND state = 'queued' AND replay`,
  /** Run only under the visitor's lock: so at most one step of a visitor's replay is ever due, on every node. */
  makeReplayDue: `UPDATE jobs SET next_attempt_at = $4
    WHERE seq IN (SELECT seq FROM jobs WHERE visitor = $1 AND state = 'queued' AND replay AND past = $2 AND next_attempt_at IS NULL
                  ORDER BY occurred_at, seq LIMIT $3)`,
  jobsOf: 'SELECT id, visitor, replay FROM jobs WHERE id = ANY($1::text[])',
  sent: `UPDATE jobs SET state = 'sent', payload = NULL, locators = NULL, lease_until = NULL, done_at = $2
    WHERE id = $1 AND state = 'queued'`,
  retry: `UPDATE jobs SET next_attempt_at = $2, lease_until = NULL, attempts = attempts + $5, last_error = $3, last_status = $4
    WHERE id = $1 AND state = 'queued'`,
  dead: `UPDATE jobs SET state = 'dead', lease_until = NULL, attempts = attempts + 1, last_error = $3, last_status = $4, done_at = $2
    WHERE id = $1 AND state = 'queued'`,
  release: `UPDATE jobs SET lease_until = NULL WHERE id = $1 AND state = 'queued'`,
  /** Skips rows another transaction holds (a claim or a settle of that very row) rather than wait on them, so two nodes' calls cannot deadlock. */
  retryNow: `UPDATE jobs SET next_attempt_at = $1 WHERE seq IN (
      SELECT seq FROM jobs WHERE state = 'queued' AND attempts > 0 AND next_attempt_at > $1 AND (lease_until IS NULL OR lease_until <= $1)
      FOR UPDATE SKIP LOCKED)`,
  listDead: `SELECT ${JOB_COLUMNS}, last_error, last_status, done_at
    FROM jobs WHERE state = 'dead' ORDER BY done_at DESC, seq DESC LIMIT $1 OFFSET $2`,
  /** $1 NULL: every dead letter. */
  replayDead: `UPDATE jobs SET state = 'queued', attempts = 0, queued_at = $2, next_attempt_at = $2,
    lease_until = NULL, last_error = NULL, last_status = NULL, done_at = NULL
    WHERE state = 'dead' AND ($1::text[] IS NULL OR id = ANY($1::text[]))`,
  releaseHeld: `UPDATE jobs SET state = 'queued', locators = $2, replay = true, past = (kind = 'event' AND occurred_at < $5), queued_at = $4, next_attempt_at = NULL
    WHERE visitor = $1 AND state = 'held' AND received_at >= $3`,
  oldest: `SELECT min(received_at) AS at FROM jobs WHERE state = 'queued'`,
  /** Two nodes purging at once take different chunks instead of queueing on the same rows. */
  purgeSent: `DELETE FROM jobs WHERE seq IN (SELECT seq FROM jobs WHERE state = 'sent' AND received_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
  purgeHeld: `DELETE FROM jobs WHERE seq IN (SELECT seq FROM jobs WHERE state = 'held' AND received_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
  heartbeat: `INSERT INTO meta (k, v) VALUES ('heartbeat', $1) ON CONFLICT (k) DO UPDATE SET v = excluded.v`,
} as const

/** A visitor's advisory lock key: FNV-1a of its id. Two visitors sharing a key only wait for each other. */
function lockKey(visitor: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < visitor.length; i++) h = Math.imul(h ^ visitor.charCodeAt(i), 0x01000193)
  return h | 0
}

/** The statements on a pool (each its own transaction) or on a connection inside a transaction. */
export function createPostgresStatements(db: pg.Pool | pg.PoolClient): Statements {
  const rows = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) => (await db.query<R>(text, values)).rows
  const changes = async (text: string, values: unknown[]) => (await db.query(text, values)).rowCount ?? 0
  return {
    ...createPostgresEraseStatements(db),
    ...createPostgresTelegramStatements(db),
    ...createPostgresOrderStatements(db),
    lockVisitors: async (visitors) => {
      // Sorted, so two transactions never wait on each other in a cycle.
      const keys = [...new Set(visitors.map(lockKey))].sort((a, b) => a - b)
      if (keys.length) await db.query(SQL.lockVisitors, [LOCK_VISITOR, keys])
    },
    links: (visitor) => rows<LinkRow>(SQL.links, [visitor]),
    insertLink: (visitor, since, locators, at) => db.query(SQL.insertLink, [visitor, since, locators, at]),
    insertEvents: async (visitor, receivedAt, list) => {
      const column = <K extends keyof (typeof list)[number]>(k: K) => list.map((r) => r[k])
      const values = [column('id'), column('state'), column('payload'), column('locators'), column('replay'), column('queuedAt'), column('due')]
      const fresh = new Set((await rows<{ id: string }>(SQL.insertEvents, [visitor, receivedAt, ...values, column('ts'), column('past')])).map((r) => r.id))
      // A batch may carry an id twice: only its first row was new.
      return list.map((r) => fresh.delete(r.id))
    },
    insertSubscribe: async (request, at) => (await changes(SQL.insertSubscribe, [request.id, request.visitor, JSON.stringify(request), at, request.ts])) == 1,
    replayState: async (visitor) => (await rows<{ due: number; past: number }>(SQL.replayState, [visitor]))[0]!,
    makeReplayDue: (visitor, past, limit, now) => changes(SQL.makeReplayDue, [visitor, past, limit, now]),
    countHeld: async (visitor) => (await rows<{ n: number }>(SQL.countHeld, [visitor]))[0]!.n,
    dropHeld: (visitor, count) => changes(SQL.dropHeld, [visitor, count]),
    releaseHeld: (visitor, locators, heldAfter, now, pastBefore) => changes(SQL.releaseHeld, [visitor, locators, heldAfter, now, pastBefore]),
    jobsOf: (ids) => rows<{ id: string; visitor: string; replay: boolean }>(SQL.jobsOf, [ids]),
    retry: (s) => db.query(SQL.retry, [s.id, s.nextAttemptAt, s.error, s.status ?? null, s.attempt === false ? 0 : 1]),
    release: (id) => db.query(SQL.release, [id]),
    markSent: (id, at) => changes(SQL.sent, [id, at]),
    markDead: (s) => changes(SQL.dead, [s.id, s.at, s.reason, s.status ?? null]),
    claim: (now, limit, until) => rows<JobRow>(SQL.claim, [now, limit, until]),
    listDead: (limit, offset) => rows<DeadRow>(SQL.listDead, [limit, offset]),
    replayDead: (ids, now) => changes(SQL.replayDead, [ids, now]),
    retryNow: (now) => changes(SQL.retryNow, [now]),
    counts: () => rows<{ state: string; n: number }>(COUNT_BY_STATE),
    oldestQueued: async () => (await rows<{ at: number | null }>(SQL.oldest))[0]?.at ?? null,
    purgeSent: (before, limit) => changes(SQL.purgeSent, [before, limit]),
    purgeHeld: (before, limit) => changes(SQL.purgeHeld, [before, limit]),
    heartbeat: (value) => db.query(SQL.heartbeat, [value]),
  }
}
