import { describe, expect, it } from 'vitest'
import type { Locators } from '../../../src/relay/esputnik/locators.js'
import type { TelegramAction, TelegramUpdate } from '../../../src/relay/store/telegram-types.js'
import type { Job, Store, TokensJob } from '../../../src/relay/store/types.js'
import { drain, LEASE, storePerTest, T0, type StoreHarness } from './harness.js'

const APP = 'app-0b6f9c1e'
const HOUR = 3_600_000

const link = (visitor: string, locators: Locators, at = T0 + 10) => ({ visitor, locators, since: 0, heldAfter: 0, at })
const code = (codeHash: string, visitor: string, at = T0) => ({ codeHash, owner: { visitor }, at, expiresAt: at + HOUR })
const start = (updateId: number, chatId: string, codeHash?: string, at = T0 + 100): TelegramUpdate => ({
  appUuid: APP,
  updateId,
  chatId,
  action: (codeHash ? { kind: 'start', codeHash } : { kind: 'start' }) as TelegramAction,
  at,
})

const tokensOf = (jobs: Job[]) => jobs.filter((j): j is TokensJob => j.kind == 'tokens').map((j) => ({ chatId: j.tokens.chatId, app: j.tokens.appUuid, to: j.locators }))

/** The Telegram part of the Store contract: codes, chats, held tokens released by a link, update ids. */
export function describeTelegramContract(name: string, open: () => Promise<StoreHarness>) {
  describe(`Store contract, Telegram: ${name}`, () => {
    let store: Store
    storePerTest(open, (opened) => (store = opened))

    it('binds the chat of a live code and queues its token for the linked visitor’s contact', async () => {
      await store.linkVisitor(link('visitor-tg-1', { contactId: '100001', email: 'a@b.co' }))
      await store.addTelegramCode(code('hash-1', 'visitor-tg-1'))
      expect(await store.applyTelegramUpdate(start(1, '555'))).toEqual({ outcome: 'refused', reason: 'unknown chat' })
      expect(await store.applyTelegramUpdate(start(2, '555', 'hash-1'))).toEqual({
        outcome: 'bound',
        token: 'queued',
        locators: { contactId: '100001', email: 'a@b.co' },
      })
      expect(tokensOf(await drain(store))).toEqual([{ chatId: '555', app: APP, to: { contactId: '100001', email: 'a@b.co' } }])
    })

    it('holds the token of an anonymous visitor until a link, then queues it once for that contact', async () => {
      await store.addTelegramCode(code('hash-2', 'visitor-tg-2'))
      expect(await store.applyTelegramUpdate(start(3, '556', 'hash-2'))).toEqual({ outcome: 'bound', token: 'held' })
      expect(await drain(store)).toEqual([])
      expect(await store.linkVisitor(link('visitor-tg-2', { externalCustomerId: 'c-2' }))).toEqual({ changed: true, released: 0, tokens: 1 })
      expect(tokensOf(await drain(store))).toEqual([{ chatId: '556', app: APP, to: { externalCustomerId: 'c-2' } }])
      expect(await store.linkVisitor(link('visitor-tg-2', { externalCustomerId: 'c-2' }))).toEqual({ changed: false, released: 0 })
      expect(await drain(store)).toEqual([])
    })

    it('releases a held token when a subscribe’s settle links the visitor, with the contactId of its answer', async () => {
      await store.addTelegramCode(code('hash-3', 'visitor-tg-3'))
      await store.applyTelegramUpdate(start(4, '557', 'hash-3'))
      await store.insertSubscribe({ request: { id: 'subscribe-tg-3', visitor: 'visitor-tg-3', ts: T0, email: 'c@d.co' }, receivedAt: T0 })
      const [job] = await store.claim({ limit: 10, now: T0 + 1, leaseMs: LEASE })
      await store.settle([{ id: job!.id, outcome: 'sent', at: T0 + 2, link: { locators: { contactId: '42', email: 'c@d.co' }, since: T0, heldAfter: 0 } }])
      expect(tokensOf(await drain(store))).toEqual([{ chatId: '557', app: APP, to: { contactId: '42', email: 'c@d.co' } }])
    })

    it('applies an update_id once, and refuses used, expired and unknown codes', async () => {
      await store.linkVisitor(link('visitor-tg-4', { email: 'e@f.co' }))
      await store.addTelegramCode(code('hash-4', 'visitor-tg-4'))
      await store.addTelegramCode(code('hash-old', 'visitor-tg-4', T0 - 2 * HOUR))
      expect((await store.applyTelegramUpdate(start(5, '558', 'hash-4'))).outcome).toBe('bound')
      expect(await store.applyTelegramUpdate(start(5, '558', 'hash-4'))).toEqual({ outcome: 'duplicate' })
      expect(await store.applyTelegramUpdate(start(6, '559', 'hash-4'))).toEqual({ outcome: 'refused', reason: 'used code' })
      expect(await store.applyTelegramUpdate(start(7, '560', 'hash-old'))).toEqual({ outcome: 'refused', reason: 'expired code' })
      expect(await store.applyTelegramUpdate(start(8, '560', 'hash-none'))).toEqual({ outcome: 'refused', reason: 'unknown code' })
      expect(tokensOf(await drain(store)).map((t) => t.chatId)).toEqual(['558'])
    })

    it('registers a bound chat again when it comes back: bare /start, its own old code, or unblocking the bot', async () => {
      await store.linkVisitor(link('visitor-tg-5', { phone: '380501234567' }))
      await store.addTelegramCode(code('hash-5', 'visitor-tg-5'))
      await store.applyTelegramUpdate(start(9, '561', 'hash-5'))
      await drain(store)
      expect((await store.applyTelegramUpdate(start(10, '561'))).outcome).toBe('again')
      expect((await store.applyTelegramUpdate(start(11, '561', 'hash-5'))).outcome).toBe('again')
      const back = await store.applyTelegramUpdate({ appUuid: APP, updateId: 12, chatId: '561', action: { kind: 'back' }, at: T0 + 200 })
      expect(back).toEqual({ outcome: 'again', token: 'queued', locators: { phone: '380501234567' } })
      expect(tokensOf(await drain(store))).toEqual(Array(3).fill({ chatId: '561', app: APP, to: { phone: '380501234567' } }))
    })

    it('binds chats the shop’s backend names, to a contact at once or to a visitor once it is linked', async () => {
      const results = await store.addTelegramTokens([
        { appUuid: APP, chatId: '562', owner: { locators: { externalCustomerId: 'c-6' } }, at: T0 },
        { appUuid: APP, chatId: '563', owner: { visitor: 'visitor-tg-6' }, at: T0 },
      ])
      expect(results).toEqual([{ token: 'queued' }, { token: 'held' }])
      expect(tokensOf(await drain(store))).toEqual([{ chatId: '562', app: APP, to: { externalCustomerId: 'c-6' } }])
      await store.linkVisitor(link('visitor-tg-6', { email: 'g@h.co' }))
      expect(tokensOf(await drain(store))).toEqual([{ chatId: '563', app: APP, to: { email: 'g@h.co' } }])
    })

    it('purges expired codes and old update ids, and a purged update id is no longer a duplicate', async () => {
      await store.addTelegramCode(code('hash-7', 'visitor-tg-7', T0 - 2 * HOUR))
      await store.applyTelegramUpdate(start(13, '564', undefined, T0 - HOUR))
      expect((await store.purge({ sentBefore: T0, heldBefore: 0, limit: 100 })).telegram).toBe(2)
      expect((await store.applyTelegramUpdate(start(13, '564', undefined, T0))).outcome).toBe('refused')
    })
  })
}
