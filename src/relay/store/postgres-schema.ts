import type { Pool } from 'pg'
import { orderTables, QUEUE_INDEXES, telegramTables } from './schema.js'

/**
 * Advisory lock classes (the two-int4 form, a key space apart from bigint
 * locks), so this schema's locks never meet another application's in a shared
 * database.
 */
export const LOCK_MIGRATE = 0x45_53_01
export const LOCK_VISITOR = 0x45_53_02
/** The ticks of the shared budgets (store/postgres-budgets.ts), one node's at a time. */
export const LOCK_BUDGETS = 0x45_53_03

/**
 * Schema migrations, applied in order and recorded in `schema_migrations`.
 * Add a step to change the schema; never edit a released one. The first step
 * is SQLite's two steps in one: PostgreSQL started at that schema.
 * Times are ms since the epoch in bigint (an int4 ends in 1970 + 24 days).
 */
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE jobs (
    seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id              text NOT NULL UNIQUE,
    kind            text NOT NULL CHECK (kind IN ('event', 'subscribe')),
    visitor         text NOT NULL,
    state           text NOT NULL CHECK (state IN ('held', 'queued', 'sent', 'dead')),
    payload         text,            -- the wire event as JSON; NULL once sent (dedup needs only the id)
    locators        text,            -- JSON; NULL = anonymous, keyValue is the visitor id
    replay          boolean NOT NULL DEFAULT false, -- held history, sent in ts order per visitor
    occurred_at     bigint NOT NULL, -- the event's ts (the request's for a subscribe)
    received_at     bigint NOT NULL,
    queued_at       bigint,
    next_attempt_at bigint,          -- NULL while held, or while a replay job waits for the one before it
    lease_until     bigint,
    attempts        integer NOT NULL DEFAULT 0,
    last_error      text,
    last_status     integer,
    done_at         bigint
  );
  ${QUEUE_INDEXES}
  CREATE INDEX jobs_held ON jobs (visitor, occurred_at, seq) WHERE state = 'held';
  CREATE INDEX jobs_replay ON jobs (visitor, occurred_at, seq) WHERE state = 'queued' AND replay;
  CREATE INDEX jobs_replay_head ON jobs (visitor) WHERE state = 'queued' AND replay AND next_attempt_at IS NOT NULL;
  -- One row per change of a visitor's contact; an event goes to the link in force at its ts.
  CREATE TABLE visitor_links (
    seq       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    visitor   text NOT NULL,
    since     bigint NOT NULL,
    locators  text NOT NULL,
    linked_at bigint NOT NULL
  );
  CREATE INDEX visitor_links_visitor ON visitor_links (visitor, since, seq);
  CREATE TABLE meta (k text PRIMARY KEY, v text);
  `,
  // The account's budgets shared by the nodes on this database (store/budget-ledger.ts); SQLite has one
  // relay process and paces in memory, so this step is PostgreSQL's alone. Times are the database's clock.
  `
  CREATE TABLE budget_nodes (
    budget      text NOT NULL,
    node        text NOT NULL,
    rate        integer NOT NULL, -- the node's own setting; the account's is the smallest of the live ones
    want        integer NOT NULL, -- slots it can use now
    alive_until bigint NOT NULL,
    PRIMARY KEY (budget, node)
  );
  CREATE TABLE budget_slots (
    budget      text NOT NULL,
    slot        integer NOT NULL,
    node        text,             -- who holds it; NULL: nobody
    lease_until bigint,
    free_at     bigint NOT NULL,  -- it may carry its next call from then on
    PRIMARY KEY (budget, slot)
  );
  `,
  // Telegram: link codes, the chats they bind, the webhook's update ids (store/telegram.ts).
  // Tokens jobs are rows of jobs with kind 'tokens': the kind is the code's to check, not the
  // schema's (SQLite never checked it), so a new kind of job needs no migration.
  `
  ALTER TABLE jobs DROP CONSTRAINT IF EXISTS jobs_kind_check;
  ${telegramTables('bigint')}
  `,
  // Orders (store/orders.ts), as SQLite's step: each visitor's last cart, and what an order's first
  // status said for the later ones. Order jobs are rows of jobs with kinds 'order' and 'order-event':
  // the kind is the code's to check, not the schema's (the Telegram step drops the check too).
  `
  ALTER TABLE jobs DROP CONSTRAINT IF EXISTS jobs_kind_check;
  ${orderTables('bigint')}
  `,
  // Replay by age: which replay jobs go as past events (decided when they are queued for replay).
  `
  ALTER TABLE jobs ADD COLUMN past boolean NOT NULL DEFAULT false; -- a replay job old enough for Past events
  `,
]

/**
 * Brings the schema up to date in one transaction. Several relay nodes may
 * start at once: the advisory lock makes the others wait for the first, and
 * then find nothing left to do, instead of failing on a half-created table.
 * Returns the versions applied.
 */
export async function migrate(pool: Pool): Promise<number[]> {
  const client = await pool.connect()
  const applied: number[] = []
  try {
    await client.query('BEGIN')
    await client.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_MIGRATE])
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL)`)
    const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations')
    for (let version = rows[0]?.v ?? 0; version < MIGRATIONS.length; version++) {
      await client.query(MIGRATIONS[version]!)
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [version + 1, Date.now()])
      applied.push(version + 1)
    }
    await client.query('COMMIT')
    return applied
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  } finally {
    client.release()
  }
}
