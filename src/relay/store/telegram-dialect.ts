import type { Answer } from './answer.js'

/**
 * The Telegram statements a database gives the Store (part of Statements in
 * dialect.ts; sqlite-telegram-sql.ts and postgres-telegram-sql.ts write
 * them). Times are ms since the epoch; locators are JSON text.
 */

export interface TelegramCodeRow {
  visitor: string | null
  locators: string | null
  expires_at: number
  used_at: number | null
}

export interface TelegramChatRow {
  chat_id: string
  app_uuid: string
  visitor: string | null
  locators: string | null
  /** The code that bound it, so the chat's own old code is told from another chat's. */
  code_hash: string | null
}

/** A tokens job to queue now. */
export interface TokensInsert {
  id: string
  /** The chat's visitor, or '' for a chat bound straight to a contact. */
  visitor: string
  /** TokensPayload as JSON. */
  payload: string
  locators: string
  at: number
}

export interface TelegramStatements {
  insertTelegramCode(codeHash: string, visitor: string | null, locators: string | null, at: number, expiresAt: number): Answer<unknown>
  telegramCode(codeHash: string): Answer<TelegramCodeRow | undefined>
  /** Marks the code used by this chat, unless it was used already; says whether it did. */
  useTelegramCode(codeHash: string, chatId: string, at: number): Answer<boolean>
  /** Records an update id of the app's bot; false when it was recorded before. */
  insertTelegramUpdate(appUuid: string, updateId: number, at: number): Answer<boolean>
  telegramChat(chatId: string): Answer<TelegramChatRow | undefined>
  /** Binds the chat (a new one, or anew) to a visitor or a contact; nothing of it waits any more. */
  bindTelegramChat(chat: TelegramChatRow, at: number): Answer<unknown>
  /** The chat's token waits for its visitor's link, from `at` on. */
  holdTelegramChat(chatId: string, at: number): Answer<unknown>
  /** The visitor's chats whose token waits, since `heldAfter` or later. */
  waitingTelegramChats(visitor: string, heldAfter: number): Answer<TelegramChatRow[]>
  /** Nothing of the visitor's chats waits any more; returns how many did. */
  releaseTelegramChats(visitor: string): Answer<number>
  insertTokensJob(row: TokensInsert): Answer<unknown>
  /** Deletes at most `limit` codes expired before `before`, and as many update ids received before it. */
  purgeTelegram(before: number, limit: number): Answer<number>
}
