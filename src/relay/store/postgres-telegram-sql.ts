import type pg from 'pg'
import type { TelegramChatRow, TelegramCodeRow, TelegramStatements } from './telegram-dialect.js'

/** The Telegram statements of the PostgreSQL store, the same steps as sqlite-telegram-sql.ts. */

const CHAT = 'chat_id, app_uuid, visitor, locators, code_hash'

export const TELEGRAM_SQL = {
  insertCode: 'INSERT INTO telegram_codes (code_hash, visitor, locators, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
  code: 'SELECT visitor, locators, expires_at, used_at FROM telegram_codes WHERE code_hash = $1',
  useCode: 'UPDATE telegram_codes SET used_at = $1, chat_id = $2 WHERE code_hash = $3 AND used_at IS NULL',
  insertUpdate: `INSERT INTO telegram_updates (app_uuid, update_id, received_at) VALUES ($1, $2, $3)
    ON CONFLICT (app_uuid, update_id) DO NOTHING`,
  chat: `SELECT ${CHAT} FROM telegram_chats WHERE chat_id = $1`,
  bind: `INSERT INTO telegram_chats (chat_id, app_uuid, visitor, locators, code_hash, bound_at, waiting_since)
    VALUES ($1, $2, $3, $4, $5, $6, NULL)
    ON CONFLICT (chat_id) DO UPDATE SET app_uuid = excluded.app_uuid, visitor = excluded.visitor, locators = excluded.locators,
      code_hash = excluded.code_hash, bound_at = excluded.bound_at, waiting_since = NULL`,
  hold: 'UPDATE telegram_chats SET waiting_since = $1 WHERE chat_id = $2',
  waiting: `SELECT ${CHAT} FROM telegram_chats WHERE visitor = $1 AND waiting_since IS NOT NULL AND waiting_since >= $2
    ORDER BY waiting_since, chat_id`,
  release: 'UPDATE telegram_chats SET waiting_since = NULL WHERE visitor = $1 AND waiting_since IS NOT NULL',
  insertJob: `INSERT INTO jobs (id, kind, visitor, state, payload, locators, replay, received_at, queued_at, next_attempt_at, occurred_at)
    VALUES ($1, 'tokens', $2, 'queued', $3, $4, false, $5, $5, $5, $5)`,
  /** Two nodes purging at once take different chunks instead of queueing on the same rows. */
  purgeCodes: `DELETE FROM telegram_codes WHERE code_hash IN (
    SELECT code_hash FROM telegram_codes WHERE expires_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
  purgeUpdates: `DELETE FROM telegram_updates WHERE (app_uuid, update_id) IN (
    SELECT app_uuid, update_id FROM telegram_updates WHERE received_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
} as const

export function createPostgresTelegramStatements(db: pg.Pool | pg.PoolClient): TelegramStatements {
  const rows = async <R extends pg.QueryResultRow>(text: string, values: unknown[]) => (await db.query<R>(text, values)).rows
  const changes = async (text: string, values: unknown[]) => (await db.query(text, values)).rowCount ?? 0
  const Q = TELEGRAM_SQL
  return {
    insertTelegramCode: (hash, visitor, locators, at, expiresAt) => db.query(Q.insertCode, [hash, visitor, locators, at, expiresAt]),
    telegramCode: async (hash) => (await rows<TelegramCodeRow>(Q.code, [hash]))[0],
    useTelegramCode: async (hash, chatId, at) => (await changes(Q.useCode, [at, chatId, hash])) > 0,
    insertTelegramUpdate: async (app, id, at) => (await changes(Q.insertUpdate, [app, id, at])) > 0,
    telegramChat: async (id) => (await rows<TelegramChatRow>(Q.chat, [id]))[0],
    bindTelegramChat: (c, at) => db.query(Q.bind, [c.chat_id, c.app_uuid, c.visitor, c.locators, c.code_hash, at]),
    holdTelegramChat: (chatId, at) => db.query(Q.hold, [at, chatId]),
    waitingTelegramChats: (visitor, heldAfter) => rows<TelegramChatRow>(Q.waiting, [visitor, heldAfter]),
    releaseTelegramChats: (visitor) => changes(Q.release, [visitor]),
    insertTokensJob: (r) => db.query(Q.insertJob, [r.id, r.visitor, r.payload, r.locators, r.at]),
    purgeTelegram: async (before, limit) => (await changes(Q.purgeCodes, [before, limit])) + (await changes(Q.purgeUpdates, [before, limit])),
  }
}
