import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { startTestRelay, stoppedAfterEach, waitFor } from '../helpers.js'
import {
  linkCode,
  memberUpdate,
  messageUpdate,
  newUpdateId,
  postUpdate,
  QUIET_MS,
  quietTokens,
  subscribed,
  TELEGRAM_ENV,
  tokenCalls,
  tokenCallsReach,
} from './telegram-helpers.js'

const start = stoppedAfterEach((env: Record<string, string> = {}, now?: () => number) =>
  startTestRelay({ env: { ...TELEGRAM_ENV, ...env }, deps: now ? { now } : {} }),
)

const visitorId = () => `v-${randomUUID()}`
let nextChat = 81_000_001
const chatId = () => nextChat++

describe('the Telegram webhook', () => {
  it(`refuses an update without the secret or with a forged one with 401, and nothing goes upstream for ${QUIET_MS} ms; the same update with the secret then makes the call`, async () => {
    const relay = await start()
    const visitor = visitorId()
    await subscribed(relay, visitor, 'forged@example.com')
    const update = messageUpdate(chatId(), `/start ${await linkCode(relay, visitor)}`)
    expect((await postUpdate(relay, update, null)).status).toBe(401)
    expect((await postUpdate(relay, update, 'webhook-secret-0123456789abcdeX')).status).toBe(401)
    // A forged request with a body that is not even JSON is refused before the body is read.
    expect((await postUpdate(relay, '{not json', 'forged-secret-0000000000000000')).status).toBe(401)
    expect(await quietTokens(relay)).toEqual([])
    expect((await postUpdate(relay, update)).status).toBe(200)
    expect(await tokenCallsReach(relay, 1)).toHaveLength(1)
  })

  it('sends one Add application tokens call for a subscribed visitor’s /start: the chat id as a string, eSputnik’s contactId as an integer', async () => {
    const relay = await start()
    const visitor = visitorId()
    const contactId = await subscribed(relay, visitor, 'olena@example.com')
    const chat = chatId()
    const res = await postUpdate(relay, messageUpdate(chat, `/start ${await linkCode(relay, visitor)}`))
    expect(res.status).toBe(200)
    await tokenCallsReach(relay, 1)
    const calls = await quietTokens(relay)
    expect(calls.map((c) => [c.status, c.body])).toEqual([[200, { tokens: [{ token: String(chat), contactId }] }]])
    expect(Number.isInteger(contactId)).toBe(true)
    await tokenCalls(relay) // each body validates against eSputnik's definition
  })

  it(`holds the token of an anonymous visitor: no call for ${QUIET_MS} ms, then one once the visitor subscribes`, async () => {
    const relay = await start()
    const visitor = visitorId()
    const chat = chatId()
    expect((await postUpdate(relay, messageUpdate(chat, `/start ${await linkCode(relay, visitor)}`))).status).toBe(200)
    expect(await quietTokens(relay)).toEqual([])
    const contactId = await subscribed(relay, visitor, 'later@example.com')
    const [call] = await tokenCallsReach(relay, 1)
    expect(call!.body).toEqual({ tokens: [{ token: String(chat), contactId }] })
    expect(await quietTokens(relay)).toHaveLength(1)
  })

  it('makes no second call for an update Telegram sends again (same update_id)', async () => {
    const relay = await start()
    const visitor = visitorId()
    await subscribed(relay, visitor, 'twice@example.com')
    const update = messageUpdate(chatId(), `/start ${await linkCode(relay, visitor)}`)
    expect((await postUpdate(relay, update)).status).toBe(200)
    await tokenCallsReach(relay, 1)
    expect((await postUpdate(relay, update)).status).toBe(200)
    expect(await quietTokens(relay)).toHaveLength(1)
  })

  it('answers 200 and binds nothing for a code another chat used, an unknown code, a group chat and other updates', async () => {
    const relay = await start()
    const visitor = visitorId()
    await subscribed(relay, visitor, 'used@example.com')
    const code = await linkCode(relay, visitor)
    expect((await postUpdate(relay, messageUpdate(chatId(), `/start ${code}`))).status).toBe(200)
    await tokenCallsReach(relay, 1)
    const stranger = chatId()
    const second = await linkCode(relay, visitor)
    const updates = [
      messageUpdate(stranger, `/start ${code}`),
      messageUpdate(stranger, '/start aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'),
      messageUpdate(-100123, `/start ${second}`, newUpdateId(), 'group'),
      messageUpdate(stranger, 'hello'),
      { update_id: newUpdateId(), edited_message: messageUpdate(stranger, `/start ${second}`).message },
      { update_id: newUpdateId(), callback_query: { id: '1', from: { id: stranger } } },
      // The stranger was never bound: a bare /start or a return brings nothing back.
      messageUpdate(stranger, '/start'),
      memberUpdate(stranger, 'kicked', 'member'),
    ]
    for (const update of updates) expect((await postUpdate(relay, update)).status).toBe(200)
    expect(await quietTokens(relay)).toHaveLength(1)
  })

  it(`answers 200 and makes no call for ${QUIET_MS} ms for an expired code`, async () => {
    let offset = 0
    const relay = await start({ TELEGRAM_LINK_TTL_MINUTES: '60' }, () => Date.now() + offset)
    const visitor = visitorId()
    await subscribed(relay, visitor, 'late@example.com')
    const code = await linkCode(relay, visitor)
    offset = 61 * 60_000
    expect((await postUpdate(relay, messageUpdate(chatId(), `/start ${code}`))).status).toBe(200)
    expect(await quietTokens(relay)).toEqual([])
  })

  it('answers 400 to a body that is not an update', async () => {
    const relay = await start()
    expect((await postUpdate(relay, '{"update_id": 1,')).status).toBe(400)
    expect((await postUpdate(relay, { message: { text: '/start' } })).status).toBe(400)
    expect((await postUpdate(relay, '[]')).status).toBe(400)
  })

  it('registers a chat again when it comes back after blocking the bot, and on a bare /start or its own old code', async () => {
    const relay = await start()
    const visitor = visitorId()
    const contactId = await subscribed(relay, visitor, 'back@example.com')
    const chat = chatId()
    const code = await linkCode(relay, visitor)
    await postUpdate(relay, messageUpdate(chat, `/start ${code}`))
    await tokenCallsReach(relay, 1)
    // Blocking the bot is no call: eSputnik drops the token itself when a message to it fails.
    expect((await postUpdate(relay, memberUpdate(chat, 'member', 'kicked'))).status).toBe(200)
    expect(await quietTokens(relay)).toHaveLength(1)
    expect((await postUpdate(relay, memberUpdate(chat, 'kicked', 'member'))).status).toBe(200)
    await tokenCallsReach(relay, 2)
    await postUpdate(relay, messageUpdate(chat, '/start'))
    await postUpdate(relay, messageUpdate(chat, `/start ${code}`))
    await tokenCallsReach(relay, 4)
    const calls = await quietTokens(relay)
    expect(calls.flatMap((c) => (c.body as { tokens: unknown[] }).tokens)).toEqual(Array(4).fill({ token: String(chat), contactId }))
  })

  it('answers a linked /start with the welcome text, naming the contact masked, only after the token is stored', async () => {
    const relay = await start({ TELEGRAM_WELCOME_TEXT: 'You will get order updates for {contact} here.' })
    const visitor = visitorId()
    await subscribed(relay, visitor, 'anna@example.com')
    const chat = chatId()
    const res = await postUpdate(relay, messageUpdate(chat, `/start ${await linkCode(relay, visitor)}`))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ method: 'sendMessage', chat_id: chat, text: 'You will get order updates for a***@example.com here.' })
    // The answer came after the commit: the job is there, and goes.
    await tokenCallsReach(relay, 1)
    const refused = await postUpdate(relay, messageUpdate(chatId(), '/start unknowncode'))
    expect(await refused.text()).toBe('')
  })

  it('does not exist without the bot’s settings, and a partial set does not boot', async () => {
    const bare = await start({ TELEGRAM_APP_UUID: '', TELEGRAM_BOT_USERNAME: '', TELEGRAM_WEBHOOK_SECRET: '' })
    expect((await postUpdate(bare, messageUpdate(chatId(), '/start'))).status).toBe(404)
    expect((await bare.post('/v1/telegram/link', { v: 1, visitor: visitorId() })).status).toBe(404)
    await expect(start({ TELEGRAM_WEBHOOK_SECRET: '' })).rejects.toThrow(/TELEGRAM_WEBHOOK_SECRET: missing/)
  })

  it('keeps visitor ids and link codes out of the relay’s log', async () => {
    const lines: string[] = []
    const relay = await startTestRelay({
      env: { ...TELEGRAM_ENV, LOG_LEVEL: 'debug' },
      deps: { logStream: { write: (line) => lines.push(line) } },
    })
    try {
      const visitor = visitorId()
      const code = await linkCode(relay, visitor)
      await postUpdate(relay, messageUpdate(chatId(), `/start ${code}`))
      await waitFor(() => lines.some((l) => l.includes('telegram update')), 'the update’s log line')
      expect(lines.filter((l) => l.includes(visitor) || l.includes(code))).toEqual([])
    } finally {
      await relay.stop()
    }
  })
})
