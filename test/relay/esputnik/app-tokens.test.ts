import { describe, expect, it } from 'vitest'
import { appTokens, appTokensPath, buildAppToken, MAX_TOKENS_PER_CALL } from '../../../src/relay/esputnik/app-tokens.js'
import { MappingError } from '../../../src/relay/esputnik/errors.js'
import type { Locators } from '../../../src/relay/esputnik/locators.js'
import { planCalls } from '../../../src/relay/forward/plan.js'
import type { TokensJob } from '../../../src/relay/store/types.js'
import { upstreamBodyErrors } from '../../support/openapi.js'
import { startTestRelay, stoppedAfterEach, waitFor } from '../helpers.js'
import { postServer, TELEGRAM_ENV, TOKENS_PATH } from '../ingest/telegram-helpers.js'

let seq = 0
const job = (chatId: string, locators: Locators, appUuid = 'app-1'): TokensJob => ({
  seq: ++seq,
  id: `tokens-${seq}`,
  kind: 'tokens',
  visitor: '',
  locators,
  replay: false,
  attempts: 0,
  receivedAt: 1,
  queuedAt: 1,
  tokens: { appUuid, chatId, ts: 1 },
} as TokensJob)

describe('Add application tokens: the mapping', () => {
  it.each([
    ['contactId as an integer first', { contactId: '100001', email: 'a@b.co' }, { token: '7', contactId: 100001 }],
    ['then externalCustomerId', { externalCustomerId: 'C-1', phone: '380501234567', email: 'a@b.co' }, { token: '7', externalCustomerId: 'C-1' }],
    ['then phone', { phone: '380501234567', email: 'a@b.co' }, { token: '7', phone: '380501234567' }],
    ['then email', { email: 'a@b.co' }, { token: '7', email: 'a@b.co' }],
    ['past a contactId too large for an exact integer', { contactId: '99999999999999999999', email: 'a@b.co' }, { token: '7', email: 'a@b.co' }],
  ])('sends one identifier, in eSputnik’s lookup order: %s', (_name, locators, expected) => {
    const token = buildAppToken('7', locators)
    expect(token).toEqual(expected)
    expect(upstreamBodyErrors(appTokensPath('app-1'), { tokens: [token] })).toEqual([])
  })

  it('refuses a token with no contact as a mapping error (a dead letter, no call)', () => {
    expect(() => buildAppToken('7', {})).toThrow(MappingError)
    expect(() => buildAppToken('7', null)).toThrow(MappingError)
  })

  it(`puts up to ${MAX_TOKENS_PER_CALL} tokens of one app in a call, and never two apps in one`, () => {
    const jobs = [
      ...Array.from({ length: MAX_TOKENS_PER_CALL + 1 }, (_, i) => job(String(i + 1), { email: `${i}@b.co` })),
      job('900', { email: 'other@b.co' }, 'app-2'),
    ]
    const { calls, refused } = planCalls(jobs, [appTokens], { replayOccurredAt: true, now: 1 } as never)
    expect(refused).toEqual([])
    expect(calls.map((c) => [appTokens.toBody(c.items as never).appUuid, c.jobs.length])).toEqual([
      ['app-1', MAX_TOKENS_PER_CALL],
      ['app-1', 1],
      ['app-2', 1],
    ])
  })

  it('posts to the app’s own path', () => {
    expect(appTokensPath('0b6f9c1e-4a2d')).toBe('/api/v1/apps/0b6f9c1e-4a2d/tokens')
    expect(appTokensPath('a/b')).toBe('/api/v1/apps/a%2Fb/tokens')
  })
})

describe('Add application tokens: over HTTP', () => {
  const start = stoppedAfterEach(() => startTestRelay({ env: TELEGRAM_ENV }))
  const send = (relay: Awaited<ReturnType<typeof start>>, chatId: number) =>
    postServer(relay, '/v1/server/telegram-tokens', { tokens: [{ chatId, email: `chat${chatId}@example.com` }] })

  it('retries a 429 and a 503 from eSputnik, and the token then goes once', async () => {
    const relay = await start()
    await relay.faults({ status: 429, count: 1 })
    await send(relay, 91_000_001)
    const calls = await waitFor(async () => {
      const all = await relay.recorded(TOKENS_PATH)
      return all.some((c) => c.status == 200) && all
    }, 'the token accepted after a 429')
    expect(calls.map((c) => c.status)).toEqual([429, 200])
    await relay.faults({ status: 503, count: 1 })
    await send(relay, 91_000_002)
    await waitFor(async () => (await relay.recorded(TOKENS_PATH)).filter((c) => c.status == 200).length == 2, 'the token accepted after a 503')
    expect((await relay.recorded(TOKENS_PATH)).map((c) => c.status)).toEqual([429, 200, 503, 200])
  })

  it('makes a dead letter of a token eSputnik refuses, with eSputnik’s reason', async () => {
    const relay = await start()
    await relay.faults({ status: 400, count: 1 })
    await send(relay, 91_000_003)
    const [dead] = await waitFor(() => relay.app.relay.store.listDeadLetters(), 'the dead letter')
    expect(dead).toMatchObject({ kind: 'tokens', type: 'tokens', status: 400, reason: expect.stringContaining('Injected fault 400') })
  })
})
