/**
 * The part of the schema both stores write to the letter: the partial
 * indexes of the queue's access paths, in the first migration of each
 * (sqlite-schema.ts, postgres-schema.ts). It belongs to released migrations,
 * so never edit it: change the schema with a new migration in each store.
 */
export const QUEUE_INDEXES = `
  -- Partial indexes keep each access path small whatever the number of sent rows.
  CREATE INDEX jobs_due ON jobs (next_attempt_at, seq) WHERE state = 'queued';
  CREATE INDEX jobs_held_age ON jobs (received_at) WHERE state = 'held';
  CREATE INDEX jobs_sent_age ON jobs (received_at) WHERE state = 'sent';
  CREATE INDEX jobs_dead ON jobs (done_at) WHERE state = 'dead';`


/**
 * The Telegram tables, written once for both stores; only the integer type
 * differs (milliseconds and Telegram's update ids need 64 bits: PostgreSQL's
 * bigint, SQLite's INTEGER). Part of each store's Telegram migration.
 */
export const telegramTables = (int: 'INTEGER' | 'bigint') => `
  CREATE TABLE telegram_codes (
    code_hash  text PRIMARY KEY,   -- SHA-256 of the code, base64url: the code itself is never stored
    visitor    text,               -- the visitor it was made for, or NULL for a contact the shop named
    locators   text,               -- JSON: that contact
    created_at ${int} NOT NULL,
    expires_at ${int} NOT NULL,
    used_at    ${int},
    chat_id    text                -- the chat that used it
  );
  CREATE INDEX telegram_codes_expiry ON telegram_codes (expires_at);
  CREATE TABLE telegram_chats (
    chat_id       text PRIMARY KEY,
    app_uuid      text NOT NULL,   -- the bot's app in eSputnik
    visitor       text,            -- bound to a visitor (its link names the contact) ...
    locators      text,            -- ... or, JSON, straight to a contact
    code_hash     text,            -- the code that bound it
    bound_at      ${int} NOT NULL,
    waiting_since ${int}           -- its token waits for the visitor's link since then; NULL: nothing waits
  );
  CREATE INDEX telegram_chats_waiting ON telegram_chats (visitor) WHERE waiting_since IS NOT NULL;
  CREATE TABLE telegram_updates (
    app_uuid    text NOT NULL,
    update_id   ${int} NOT NULL,
    received_at ${int} NOT NULL,
    PRIMARY KEY (app_uuid, update_id)
  );
  CREATE INDEX telegram_updates_age ON telegram_updates (received_at);`

/** The order tables (store/orders.ts), written once for both stores like the Telegram ones. */
export const orderTables = (int: 'INTEGER' | 'bigint') => `
  CREATE TABLE visitor_carts (
    visitor          text PRIMARY KEY,
    recycle_state_id text NOT NULL,
    ts               ${int} NOT NULL, -- the cartUpdated's ts: a later one replaces it
    seen_at          ${int} NOT NULL
  );
  CREATE INDEX visitor_carts_age ON visitor_carts (seen_at);
  CREATE TABLE order_contexts (
    order_id         text PRIMARY KEY,
    visitor          text,
    locators         text,            -- JSON: the contact the backend named for the order
    recycle_state_id text,
    first_at         ${int} NOT NULL
  );
  CREATE INDEX order_contexts_age ON order_contexts (first_at);`
