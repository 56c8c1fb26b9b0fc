import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import type { RecordedRequest } from '../../../src/relay/sandbox/recorder.js'
import { upstreamBodyErrors } from '../../support/openapi.js'
import { waitFor, type TestRelay } from '../helpers.js'
import { QUIET_MS, quietRecord } from '../quiet.js'

/** Telegram's side of the tests: the settings of a relay with a bot, and the updates Telegram would post. */

export const APP = 'app-0b6f9c1e-test'
export const BOT = 'KettleAndLeafTestBot'
export const SECRET = 'webhook-secret-0123456789abcdef'
export const SERVER_TOKEN = 'server-token-0123456789abcdef'
export const TOKENS_PATH = `/api/v1/apps/${APP}/tokens`

export const TELEGRAM_ENV = {
  TELEGRAM_APP_UUID: APP,
  TELEGRAM_BOT_USERNAME: BOT,
  TELEGRAM_WEBHOOK_SECRET: SECRET,
  SERVER_TOKEN,
  ANONYMOUS_EVENTS: 'hold',
}

let nextUpdateId = 700_000
export const newUpdateId = () => nextUpdateId++

const chat = (id: number, type = 'private') => ({ id, type, ...(type == 'private' ? { first_name: 'Olena' } : { title: 'Tea lovers' }) })

/** A message update, as Telegram posts it when someone writes to the bot (`/start <code>` from a link). */
export const messageUpdate = (chatId: number, text: string, updateId = newUpdateId(), type = 'private') => ({
  update_id: updateId,
  message: { message_id: 1, from: { id: chatId, is_bot: false, first_name: 'Olena' }, chat: chat(chatId, type), date: 1_800_000_000, text },
})

/** The person blocked the bot (`kicked`), or came back (`member`). */
export const memberUpdate = (chatId: number, from: string, to: string, updateId = newUpdateId()) => ({
  update_id: updateId,
  my_chat_member: {
    chat: chat(chatId),
    from: { id: chatId, is_bot: false, first_name: 'Olena' },
    date: 1_800_000_000,
    old_chat_member: { status: from, user: { id: 1, is_bot: true, first_name: 'Bot' } },
    new_chat_member: { status: to, user: { id: 1, is_bot: true, first_name: 'Bot' } },
  },
})

/** POSTs an update to the webhook as Telegram does: JSON, with the secret header (none for null). */
export function postUpdate(relay: TestRelay, update: unknown, secret: string | null = SECRET): Promise<Response> {
  return fetch(`${relay.url}/v1/telegram/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }) },
    body: typeof update == 'string' ? update : JSON.stringify(update),
  })
}

/** POSTs JSON to a route of the shop's backend with the server token. */
export function postServer(relay: TestRelay, path: string, body: unknown, token = SERVER_TOKEN): Promise<Response> {
  return fetch(`${relay.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  })
}

/** A link for the visitor, as the SDK fetches it; returns its one-time code. */
export async function linkCode(relay: TestRelay, visitor: string): Promise<string> {
  const res = await relay.post('/v1/telegram/link', { v: 1, visitor })
  expect(res.status).toBe(200)
  const { url } = (await res.json()) as { url: string }
  const parsed = new URL(url)
  expect(`${parsed.origin}${parsed.pathname}`).toBe(`https://t.me/${BOT}`)
  return parsed.searchParams.get('start')!
}

/** Subscribes the visitor and waits until eSputnik (the sandbox) has answered the Subscribe contact call; returns the contactId it gave. */
export async function subscribed(relay: TestRelay, visitor: string, email: string): Promise<number> {
  const res = await relay.post('/v1/subscribe', { v: 1, id: randomUUID(), visitor, ts: Date.now(), email })
  expect(res.status).toBe(202)
  const call = await waitFor(
    async () => (await relay.recorded('/api/v1/contact/subscribe')).find((r) => JSON.stringify(r.body).includes(email) && r.status == 200),
    `the subscribe of ${email}`,
  )
  const id = (call.reply as { id: number }).id
  // The link is written in the commit that settles the call; the link route shows it once it is there.
  await waitFor(async () => (await relay.app.relay.store.getLink(visitor))?.contactId == String(id), `the link of ${email}`)
  return id
}

export { QUIET_MS }

/** Resolves once the sandbox's record has not grown for QUIET_MS; returns its Add application tokens calls. */
export const quietTokens = async (relay: TestRelay): Promise<RecordedRequest[]> =>
  (await quietRecord(relay)).filter((r) => r.path.endsWith('/tokens'))

/** The tokens calls so far, each checked against eSputnik's definition (AppTokens). */
export async function tokenCalls(relay: TestRelay): Promise<RecordedRequest[]> {
  const calls = await relay.recorded(TOKENS_PATH)
  for (const call of calls) expect(upstreamBodyErrors(call.path, call.body)).toEqual([])
  return calls
}

/** Waits for the `n`th tokens call (1-based) and returns every call so far. */
export const tokenCallsReach = (relay: TestRelay, n: number) =>
  waitFor(async () => {
    const calls = await tokenCalls(relay)
    return calls.length >= n && calls
  }, `${n} Add application tokens call(s)`)
