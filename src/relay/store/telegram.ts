import { randomUUID } from 'node:crypto'
import type { Locators } from '../esputnik/locators.js'
import { answered, type Statements, type Work } from './dialect.js'
import { toLink } from './rows.js'
import type { TelegramChatRow } from './telegram-dialect.js'
import type { NewTelegramToken, TelegramOwner, TelegramUpdate, TelegramUpdateResult, TokensPayload } from './telegram-types.js'

/**
 * The Telegram decisions, written once for both stores like decisions.ts
 * (each runs inside one transaction). A token is registered by queueing a
 * `tokens` job for the contact the chat is bound to: its own locators, or the
 * current link of its visitor. A visitor with no link yet holds the token on
 * the chat row, and the link that comes later queues it (releaseTelegramTokens,
 * called by decisions.ts wherever a visitor is linked).
 *
 * Every writer of a visitor's chats takes that visitor's lock first, as the
 * links do, so a token is never held after its visitor was linked (the
 * link's release would miss it).
 */

type Registered = Pick<TelegramUpdateResult, 'token' | 'locators'>

function* queueToken(s: Statements, chat: TelegramChatRow, locators: Locators, at: number): Work<Registered> {
  const payload: TokensPayload = { appUuid: chat.app_uuid, chatId: chat.chat_id, ts: at }
  const row = { id: randomUUID(), visitor: chat.visitor ?? '', payload: JSON.stringify(payload), locators: JSON.stringify(locators), at }
  yield* answered(s.insertTokensJob(row))
  return { token: 'queued', locators }
}

/** Queues the chat's token for its contact, or holds it until its visitor is linked; the caller holds the visitor's lock. */
function* register(s: Statements, chat: TelegramChatRow, at: number): Work<Registered> {
  if (chat.locators) return yield* queueToken(s, chat, JSON.parse(chat.locators) as Locators, at)
  const links = (yield* answered(s.links(chat.visitor!))).map(toLink)
  // The contact the visitor's events go to now (Store.getLink).
  const current = links.at(-1)
  if (current) return yield* queueToken(s, chat, current.locators, at)
  yield* answered(s.holdTelegramChat(chat.chat_id, at))
  return { token: 'held' }
}

const ownerColumns = (owner: TelegramOwner) =>
  'visitor' in owner ? { visitor: owner.visitor, locators: null } : { visitor: null, locators: JSON.stringify(owner.locators) }

const visitorsOf = (...chats: ({ visitor: string | null } | undefined)[]) =>
  chats.map((c) => c?.visitor).filter((v): v is string => Boolean(v))

/**
 * One update from the bot's webhook. A live code binds the chat to the
 * code's owner; a chat bound before that sends `/start` (bare, or with the
 * code that bound it) or unblocks the bot is registered again, since
 * eSputnik drops a token whose message failed with Forbidden
 * (docs/esputnik-api.md, "App tokens (Telegram)"). Anything else binds nothing.
 */
export function* applyTelegramUpdate(s: Statements, u: TelegramUpdate): Work<TelegramUpdateResult> {
  if (!(yield* answered(s.insertTelegramUpdate(u.appUuid, u.updateId, u.at)))) return { outcome: 'duplicate' }
  const chat = yield* answered(s.telegramChat(u.chatId))
  const codeHash = u.action.kind == 'start' ? u.action.codeHash : undefined
  if (codeHash !== undefined) {
    const code = yield* answered(s.telegramCode(codeHash))
    if (code && code.used_at === null && code.expires_at > u.at) {
      yield* answered(s.lockVisitors(visitorsOf(code, chat)))
      // Checked again in the write: of two chats racing for one code, one gets it.
      if (!(yield* answered(s.useTelegramCode(codeHash, u.chatId, u.at)))) return { outcome: 'refused', reason: 'used code' }
      const bound: TelegramChatRow = { chat_id: u.chatId, app_uuid: u.appUuid, visitor: code.visitor, locators: code.locators, code_hash: codeHash }
      yield* answered(s.bindTelegramChat(bound, u.at))
      return { outcome: 'bound', ...(yield* register(s, bound, u.at)) }
    }
    // Another chat's code, or an expired or unknown one, binds nothing; the chat's own old code brings it back.
    if (!chat || chat.code_hash != codeHash) {
      return { outcome: 'refused', reason: !code ? 'unknown code' : code.used_at !== null ? 'used code' : 'expired code' }
    }
  }
  if (!chat) return { outcome: 'refused', reason: 'unknown chat' }
  yield* answered(s.lockVisitors(visitorsOf(chat)))
  // The bot the chat came back through is the app its token goes to now.
  const back = { ...chat, app_uuid: u.appUuid }
  if (chat.app_uuid != u.appUuid) yield* answered(s.bindTelegramChat(back, u.at))
  return { outcome: 'again', ...(yield* register(s, back, u.at)) }
}

/** Chats of the shop's own bot: each bound to its visitor or contact and registered. */
export function* addTelegramTokens(s: Statements, tokens: NewTelegramToken[]): Work<{ token: 'queued' | 'held' }[]> {
  const chats: (TelegramChatRow | undefined)[] = []
  for (const t of tokens) chats.push(yield* answered(s.telegramChat(t.chatId)))
  // The visitors a chat leaves and the ones it joins, locked in one sorted order up front.
  yield* answered(s.lockVisitors([...visitorsOf(...chats), ...tokens.flatMap((t) => ('visitor' in t.owner ? [t.owner.visitor] : []))]))
  const results: { token: 'queued' | 'held' }[] = []
  for (const t of tokens) {
    const bound: TelegramChatRow = { chat_id: t.chatId, app_uuid: t.appUuid, ...ownerColumns(t.owner), code_hash: null }
    yield* answered(s.bindTelegramChat(bound, t.at))
    results.push({ token: (yield* register(s, bound, t.at)).token! })
  }
  return results
}

/**
 * Queues the held tokens of a visitor that was just linked, for `locators`
 * (its current contact); a token held since before `heldAfter` is past
 * HELD_EVENTS_TTL_DAYS, like held events, and is dropped. The caller holds
 * the visitor's lock. Returns how many were queued.
 */
export function* releaseTelegramTokens(s: Statements, visitor: string, locators: Locators, heldAfter: number, at: number): Work<number> {
  const waiting = yield* answered(s.waitingTelegramChats(visitor, heldAfter))
  for (const chat of waiting) yield* queueToken(s, chat, locators, at)
  // Also clears the tokens held too long, so they are not looked at again.
  yield* answered(s.releaseTelegramChats(visitor))
  return waiting.length
}
