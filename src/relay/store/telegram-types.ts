import type { Locators } from '../esputnik/locators.js'

/**
 * The Store's Telegram part (store/telegram.ts decides, for both stores):
 * link codes, the chats they bind, and the webhook's update ids. A chat is
 * bound to a visitor (whose link names the contact, now or once the visitor
 * is linked) or straight to a contact the shop's backend named. Registering
 * a chat's token queues a `tokens` job for Add application tokens.
 */

/** Whom a code or a chat belongs to. */
export type TelegramOwner = { visitor: string } | { locators: Locators }

export interface NewTelegramCode {
  /** SHA-256 of the code (base64url): the code itself is never stored. */
  codeHash: string
  owner: TelegramOwner
  at: number
  expiresAt: number
}

/** What an update asks for, as the webhook read it. */
export type TelegramAction =
  /** `/start`, with the hash of its code when it carries one. */
  | { kind: 'start'; codeHash?: string }
  /** `my_chat_member` from `kicked` to `member`: the person unblocked the bot. */
  | { kind: 'back' }

export interface TelegramUpdate {
  /** The bot's app in eSputnik (TELEGRAM_APP_UUID): the tokens go there, and update ids are the bot's. */
  appUuid: string
  updateId: number
  chatId: string
  action: TelegramAction
  at: number
}

/**
 * What an update did. `duplicate`: its update_id was seen; `bound`: a live
 * code bound the chat; `again`: a chat bound before came back and its token
 * is registered again; `refused`: nothing to do (`reason` says why).
 */
export interface TelegramUpdateResult {
  outcome: 'duplicate' | 'bound' | 'again' | 'refused'
  /** `queued`: a tokens job is queued; `held`: it waits for the visitor's link. */
  token?: 'queued' | 'held'
  /** The contact the token goes to, when known. */
  locators?: Locators
  reason?: 'unknown code' | 'used code' | 'expired code' | 'unknown chat'
}

export interface NewTelegramToken {
  appUuid: string
  chatId: string
  owner: TelegramOwner
  at: number
}

export interface TelegramStore {
  /** Stores a link code for a visitor or a contact. */
  addTelegramCode(code: NewTelegramCode): Promise<void>
  /**
   * Applies one webhook update in one transaction: records its update_id
   * (a repeat does nothing), consumes a live code and binds the chat, or
   * registers a known chat's token again. A token of a visitor not linked
   * yet is held; the link that comes later queues it (Store.linkVisitor and
   * a subscribe's settle).
   */
  applyTelegramUpdate(update: TelegramUpdate): Promise<TelegramUpdateResult>
  /** Binds chats the shop's backend names and registers their tokens, in one transaction; one result each, in order. */
  addTelegramTokens(tokens: NewTelegramToken[]): Promise<{ token: 'queued' | 'held' }[]>
}

/** The job a registered token becomes: its chat id goes to the app as the token. */
export interface TokensPayload {
  appUuid: string
  chatId: string
  /** When it was registered, on the relay's clock. */
  ts: number
}
