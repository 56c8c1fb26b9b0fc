import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { startTestRelay, stoppedAfterEach } from '../helpers.js'
import {
  APP,
  BOT,
  messageUpdate,
  postServer,
  postUpdate,
  quietTokens,
  subscribed,
  TELEGRAM_ENV,
  tokenCallsReach,
} from './telegram-helpers.js'

const start = stoppedAfterEach((env: Record<string, string> = {}) => startTestRelay({ env: { ...TELEGRAM_ENV, ...env } }))

const tokensOf = (calls: { body: unknown }[]) => calls.flatMap((c) => (c.body as { tokens: unknown[] }).tokens)
const codeOf = (url: string) => new URL(url).searchParams.get('start')!

describe('the Telegram routes of the shop’s backend', () => {
  it('sends the tokens of a known contact in one call, answers each token accepted or refused, and holds a visitor’s until it is linked', async () => {
    const relay = await start()
    const visitor = `v-${randomUUID()}`
    const res = await postServer(relay, '/v1/server/telegram-tokens', {
      tokens: [
        { chatId: 90_000_001, contactId: 100_777 },
        { chatId: '90000002', email: ' Shop.Buyer@Example.com ' },
        { chatId: 90_000_003, externalCustomerId: 'C-1042', phone: '+380 50 123 45 67' },
        { chatId: 'not-a-chat', email: 'x@example.com' },
        { chatId: 90_000_004 },
        { chatId: 90_000_005, visitorId: visitor },
      ],
    })
    expect(res.status).toBe(202)
    expect(await res.json()).toEqual({
      tokens: [
        { chatId: '90000001', accepted: true, held: false },
        { chatId: '90000002', accepted: true, held: false },
        { chatId: '90000003', accepted: true, held: false },
        { chatId: 'not-a-chat', accepted: false, reason: expect.stringMatching(/chatId must be a Telegram chat id/) },
        { chatId: 90_000_004, accepted: false, reason: expect.stringMatching(/needs a visitorId or the contact/) },
        { chatId: '90000005', accepted: true, held: true },
      ],
    })
    const [call] = await tokenCallsReach(relay, 1)
    // One call for the three tokens queued together; only the identifier eSputnik looks the contact up by goes.
    expect(call!.body).toEqual({
      tokens: [
        { token: '90000001', contactId: 100_777 },
        { token: '90000002', email: 'shop.buyer@example.com' },
        { token: '90000003', externalCustomerId: 'C-1042' },
      ],
    })
    expect(await quietTokens(relay)).toHaveLength(1)
    const contactId = await subscribed(relay, visitor, 'held.token@example.com')
    const calls = await tokenCallsReach(relay, 2)
    expect(calls[1]!.body).toEqual({ tokens: [{ token: '90000005', contactId }] })
  })

  it('refuses a call without the server token with 401 and sends nothing', async () => {
    const relay = await start()
    const body = { tokens: [{ chatId: 90_000_010, email: 'no.token@example.com' }] }
    expect((await postServer(relay, '/v1/server/telegram-tokens', body, 'wrong-token-0123456789')).status).toBe(401)
    expect((await postServer(relay, '/v1/server/telegram-link', { email: 'no.token@example.com' }, 'wrong-token-0123456789')).status).toBe(401)
    expect(await quietTokens(relay)).toEqual([])
  })

  it('mints a link for a logged-in customer: its /start sends the token to that customer', async () => {
    const relay = await start()
    const res = await postServer(relay, '/v1/server/telegram-link', { externalCustomerId: 'C-2001' })
    expect(res.status).toBe(200)
    const { url } = (await res.json()) as { url: string }
    expect(url).toMatch(new RegExp(`^https://t\\.me/${BOT}\\?start=[A-Za-z0-9_-]{43}$`))
    await postUpdate(relay, messageUpdate(90_000_020, `/start ${codeOf(url)}`))
    const [call] = await tokenCallsReach(relay, 1)
    expect(call!.path).toBe(`/api/v1/apps/${APP}/tokens`)
    expect(call!.body).toEqual({ tokens: [{ token: '90000020', externalCustomerId: 'C-2001' }] })
  })

  it('mints a link for a visitor id the backend names, and refuses a visitor id together with a contact', async () => {
    const relay = await start()
    const visitor = `v-${randomUUID()}`
    const contactId = await subscribed(relay, visitor, 'by.visitor@example.com')
    const { url } = (await (await postServer(relay, '/v1/server/telegram-link', { visitorId: visitor })).json()) as { url: string }
    expect(url).not.toContain(visitor)
    await postUpdate(relay, messageUpdate(90_000_030, `/start ${codeOf(url)}`))
    expect((await tokenCallsReach(relay, 1))[0]!.body).toEqual({ tokens: [{ token: '90000030', contactId }] })
    const both = await postServer(relay, '/v1/server/telegram-link', { visitorId: visitor, email: 'by.visitor@example.com' })
    expect(both.status).toBe(400)
    expect(await both.json()).toEqual({ error: expect.stringMatching(/not both/) })
  })

  it('serves the tokens route with only TELEGRAM_APP_UUID and SERVER_TOKEN: no link or webhook then', async () => {
    const relay = await start({ TELEGRAM_BOT_USERNAME: '', TELEGRAM_WEBHOOK_SECRET: '' })
    expect((await postServer(relay, '/v1/server/telegram-link', { email: 'own.bot@example.com' })).status).toBe(404)
    expect((await postUpdate(relay, messageUpdate(90_000_040, '/start'))).status).toBe(404)
    const res = await postServer(relay, '/v1/server/telegram-tokens', { tokens: [{ chatId: 90_000_040, phone: '+380501234567' }] })
    expect(res.status).toBe(202)
    expect(tokensOf(await tokenCallsReach(relay, 1))).toEqual([{ token: '90000040', phone: '380501234567' }])
  })
})

describe('the browser’s Telegram link', () => {
  it('answers the SDK with CORS for an allowed origin, a new one-time code each time, bound to no visible visitor id', async () => {
    const relay = await start({ ALLOWED_ORIGINS: 'https://shop.example.com' })
    const visitor = `v-${randomUUID()}`
    const ask = () => relay.post('/v1/telegram/link', { v: 1, visitor }, { origin: 'https://shop.example.com' })
    const [a, b] = await Promise.all([ask(), ask()])
    expect(a.status).toBe(200)
    expect(a.headers.get('access-control-allow-origin')).toBe('https://shop.example.com')
    const [first, second] = [((await a.json()) as { url: string }).url, ((await b.json()) as { url: string }).url]
    expect(codeOf(first)).not.toBe(codeOf(second))
    expect(first).not.toContain(visitor)
    expect((await relay.post('/v1/telegram/link', { v: 1, visitor: 'x' })).status).toBe(400)
  })

  it('is not there with TELEGRAM_BROWSER_LINKS=off, while the backend still mints links', async () => {
    const relay = await start({ TELEGRAM_BROWSER_LINKS: 'off' })
    expect((await relay.post('/v1/telegram/link', { v: 1, visitor: `v-${randomUUID()}` })).status).toBe(404)
    expect((await postServer(relay, '/v1/server/telegram-link', { email: 'backend.only@example.com' })).status).toBe(200)
  })
})
