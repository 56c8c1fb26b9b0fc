import type { Database } from 'better-sqlite3'
import type { TelegramChatRow, TelegramCodeRow, TelegramStatements } from './telegram-dialect.js'

/** The Telegram statements of the SQLite store (see TelegramStatements), prepared once. */
export function createSqliteTelegramStatements(db: Database): TelegramStatements {
  const changes = (sql: string) => {
    const statement = db.prepare(sql)
    return (...params: unknown[]) => statement.run(...params).changes
  }
  const CHAT = 'chat_id, app_uuid, visitor, locators, code_hash'
  const code = db.prepare<[string], TelegramCodeRow>('SELECT visitor, locators, expires_at, used_at FROM telegram_codes WHERE code_hash = ?')
  const chat = db.prepare<[string], TelegramChatRow>(`SELECT ${CHAT} FROM telegram_chats WHERE chat_id = ?`)
  const waiting = db.prepare<[string, number], TelegramChatRow>(
    `SELECT ${CHAT} FROM telegram_chats WHERE visitor = ? AND waiting_since IS NOT NULL AND waiting_since >= ? ORDER BY waiting_since, chat_id`,
  )
  const insertCode = changes(
    'INSERT INTO telegram_codes (code_hash, visitor, locators, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
  )
  const useCode = changes('UPDATE telegram_codes SET used_at = ?, chat_id = ? WHERE code_hash = ? AND used_at IS NULL')
  const insertUpdate = changes(
    'INSERT INTO telegram_updates (app_uuid, update_id, received_at) VALUES (?, ?, ?) ON CONFLICT (app_uuid, update_id) DO NOTHING',
  )
  const bind = changes(
    `INSERT INTO telegram_chats (chat_id, app_uuid, visitor, locators, code_hash, bound_at, waiting_since)
     VALUES (@chat_id, @app_uuid, @visitor, @locators, @code_hash, @at, NULL)
     ON CONFLICT (chat_id) DO UPDATE SET app_uuid = excluded.app_uuid, visitor = excluded.visitor, locators = excluded.locators,
       code_hash = excluded.code_hash, bound_at = excluded.bound_at, waiting_since = NULL`,
  )
  const hold = changes('UPDATE telegram_chats SET waiting_since = ? WHERE chat_id = ?')
  const release = changes('UPDATE telegram_chats SET waiting_since = NULL WHERE visitor = ? AND waiting_since IS NOT NULL')
  const insertJob = changes(
    `INSERT INTO jobs (id, kind, visitor, state, payload, locators, replay, received_at, queued_at, next_attempt_at, occurred_at)
     VALUES (@id, 'tokens', @visitor, 'queued', @payload, @locators, 0, @at, @at, @at, @at)`,
  )
  const purgeCodes = changes('DELETE FROM telegram_codes WHERE code_hash IN (SELECT code_hash FROM telegram_codes WHERE expires_at < ? LIMIT ?)')
  const purgeUpdates = changes(
    `DELETE FROM telegram_updates WHERE rowid IN (SELECT rowid FROM telegram_updates WHERE received_at < ? LIMIT ?)`,
  )

  return {
    insertTelegramCode: insertCode,
    telegramCode: (hash) => code.get(hash),
    useTelegramCode: (hash, chatId, at) => useCode(at, chatId, hash) > 0,
    insertTelegramUpdate: (app, id, at) => insertUpdate(app, id, at) > 0,
    telegramChat: (id) => chat.get(id),
    bindTelegramChat: (row, at) => bind({ ...row, at }),
    holdTelegramChat: (chatId, at) => hold(at, chatId),
    waitingTelegramChats: (visitor, heldAfter) => waiting.all(visitor, heldAfter),
    releaseTelegramChats: release,
    insertTokensJob: (row) => insertJob(row),
    purgeTelegram: (before, limit) => purgeCodes(before, limit) + purgeUpdates(before, limit),
  }
}
