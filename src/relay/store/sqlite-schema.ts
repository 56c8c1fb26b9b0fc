import type { Database } from 'better-sqlite3'
import { orderTables, QUEUE_INDEXES, telegramTables } from './schema.js'

/**
 * Schema migrations, applied in order and recorded in `PRAGMA user_version`.
 * Add a step to change the schema; never edit a released one.
 */
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE jobs (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    visitor         TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('held', 'queued', 'sent', 'dead')),
    payload         TEXT,            -- the wire event as JSON; NULL once sent (dedup needs only the id)
    locators        TEXT,            -- JSON; NULL = anonymous, keyValue is the visitor id
    received_at     INTEGER NOT NULL,
    queued_at       INTEGER,
    next_attempt_at INTEGER,
    lease_until     INTEGER,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    last_status     INTEGER,
    done_at         INTEGER
  );
  ${QUEUE_INDEXES}
  CREATE INDEX jobs_held ON jobs (visitor, seq) WHERE state = 'held';
  CREATE TABLE links (
    visitor   TEXT PRIMARY KEY,
    locators  TEXT NOT NULL,
    linked_at INTEGER NOT NULL
  );
  CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
  `,
  // Identity join: subscribe jobs, replay order, link history.
  `
  ALTER TABLE jobs ADD COLUMN occurred_at INTEGER NOT NULL DEFAULT 0; -- the event's ts (the request's for a subscribe)
  ALTER TABLE jobs ADD COLUMN replay INTEGER NOT NULL DEFAULT 0;      -- 1: held history, sent in ts order per visitor
  UPDATE jobs SET occurred_at = coalesce(json_extract(payload, '$.ts'), received_at) WHERE payload IS NOT NULL;
  DROP INDEX jobs_held;
  CREATE INDEX jobs_held ON jobs (visitor, occurred_at, seq) WHERE state = 'held';
  -- Finds the next of a visitor's replay jobs to make due.
  CREATE INDEX jobs_replay ON jobs (visitor, occurred_at, seq) WHERE state = 'queued' AND replay = 1;
  -- The one due replay job of a visitor, if any (at most one row per visitor).
  CREATE INDEX jobs_replay_head ON jobs (visitor) WHERE state = 'queued' AND replay = 1 AND next_attempt_at IS NOT NULL;
  -- One row per change of a visitor's contact; an event goes to the link in force at its ts.
  CREATE TABLE visitor_links (
    seq       INTEGER PRIMARY KEY,
    visitor   TEXT NOT NULL,
    since     INTEGER NOT NULL,
    locators  TEXT NOT NULL,
    linked_at INTEGER NOT NULL
  );
  CREATE INDEX visitor_links_visitor ON visitor_links (visitor, since, seq);
  INSERT INTO visitor_links (visitor, since, locators, linked_at) SELECT visitor, linked_at, locators, linked_at FROM links;
  DROP TABLE links;
  `,
  // Telegram: link codes, the chats they bind, the webhook's update ids (store/telegram.ts).
  // Tokens jobs are rows of jobs with kind 'tokens': the kind is the code's to check, not the schema's.
  `
  ${telegramTables('INTEGER')}
  `,
  // Orders (store/orders.ts): the cart of each visitor's last cartUpdated, and what an order's first
  // status said (its visitor, contact and cart) for the later ones. Order jobs are rows of jobs with
  // kinds 'order' and 'order-event'.
  `
  ${orderTables('INTEGER')}
  `,
  // Replay by age: which replay jobs go as past events (decided when they are queued for replay).
  `
  ALTER TABLE jobs ADD COLUMN past INTEGER NOT NULL DEFAULT 0; -- 1: a replay job old enough for Past events
  `,
]

export function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!)
      db.pragma(`user_version = ${version + 1}`)
    })()
  }
}
