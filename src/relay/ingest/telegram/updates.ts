import { isObject, ValidationError } from '../../../wire/schema.js'
import type { TelegramAction } from '../../store/telegram-types.js'
import { hashCode } from './codes.js'

/**
 * Pure: what a Telegram update (https://core.telegram.org/bots/api#update)
 * asks of the relay. Only two kinds do anything, both from a private chat:
 * a message `/start` (with a code, or bare), and a `my_chat_member` from
 * `kicked` to `member` (the person unblocked the bot). Every other update is
 * well-formed and ignored, so Telegram, which retries any answer but 2xx, is
 * answered 200 for it; only a body that is no update is refused.
 */

export type ReadUpdate =
  | { kind: 'act'; updateId: number; chatId: string; action: TelegramAction }
  | { kind: 'ignored'; updateId: number; why: string }

/** `/start`, `/start <payload>`, or `/start@Bot <payload>` as a client may write it. */
const START = /^\/start(?:@\w+)?(?:\s+(\S+))?\s*$/

/** The longest start parameter Telegram sends. */
const MAX_PAYLOAD = 64

/** A private chat's id as text; undefined for any other chat. */
function privateChat(chat: unknown): string | undefined {
  if (!isObject(chat) || chat.type != 'private' || !Number.isSafeInteger(chat.id)) return
  return String(chat.id)
}

const statusOf = (member: unknown) => (isObject(member) && typeof member.status == 'string' ? member.status : undefined)

export function readUpdate(body: unknown): ReadUpdate {
  if (!isObject(body) || !Number.isSafeInteger(body.update_id)) {
    throw new ValidationError('not a Telegram update: a JSON object with an integer update_id is expected')
  }
  const updateId = body.update_id as number
  const ignored = (why: string): ReadUpdate => ({ kind: 'ignored', updateId, why })
  if (isObject(body.message)) {
    const chatId = privateChat(body.message.chat)
    if (!chatId) return ignored('not a private chat')
    const start = typeof body.message.text == 'string' ? START.exec(body.message.text.trim()) : null
    if (!start) return ignored('not /start')
    const payload = start[1]
    const action: TelegramAction = payload ? { kind: 'start', codeHash: hashCode(payload.slice(0, MAX_PAYLOAD)) } : { kind: 'start' }
    return { kind: 'act', updateId, chatId, action }
  }
  if (isObject(body.my_chat_member)) {
    const chatId = privateChat(body.my_chat_member.chat)
    if (!chatId) return ignored('not a private chat')
    const { old_chat_member: before, new_chat_member: after } = body.my_chat_member
    if (statusOf(before) != 'kicked' || statusOf(after) != 'member') return ignored('not a return to the bot')
    return { kind: 'act', updateId, chatId, action: { kind: 'back' } }
  }
  return ignored('another kind of update')
}
