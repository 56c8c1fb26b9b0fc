import { describe, expect, it } from 'vitest'
import { ERASABLE_STORES, storeOfEachTest } from './erase-harness.js'

/** Erase and Telegram: the chats bound to the person, the link codes, and the token jobs not sent yet. */

const T0 = 1_800_000_000_000
const EMAIL = 'erased-telegram@example.com'
const OTHER = 'kept-telegram@example.com'
const APP = 'app-0000-erase'
const TABLES = ['jobs', 'visitor_links', 'telegram_chats', 'telegram_codes']

describe.each(ERASABLE_STORES)('Store.erase, Telegram: %s', (_name, open) => {
  const h = storeOfEachTest(open)

  /** A visitor linked to `email`, whose chat was bound with its link code (so its token job is queued). */
  async function bound(visitor: string, email: string, chatId: string) {
    await h.store.linkVisitor({ visitor, locators: { email }, since: 0, heldAfter: 0, at: T0 })
    await h.store.addTelegramCode({ codeHash: `hash-${chatId}`, owner: { visitor }, at: T0, expiresAt: T0 + 600_000 })
    const update = { appUuid: APP, updateId: Number(chatId), chatId, action: { kind: 'start' as const, codeHash: `hash-${chatId}` }, at: T0 + 1 }
    expect(await h.store.applyTelegramUpdate(update)).toMatchObject({ outcome: 'bound', token: 'queued' })
  }

  it('erases by email the chats and codes of the contact, its visitor’s and the shop’s, with their token jobs, and no one else’s', async () => {
    await bound('visitor-telegram-1', EMAIL, '5550001')
    // A chat and a code the shop's backend bound straight to the contact.
    await h.store.addTelegramTokens([{ appUuid: APP, chatId: '5550002', owner: { locators: { email: EMAIL } }, at: T0 }])
    await h.store.addTelegramCode({ codeHash: 'hash-for-contact', owner: { locators: { email: EMAIL } }, at: T0, expiresAt: T0 + 600_000 })
    await bound('visitor-telegram-2', OTHER, '5550003')

    const { counts, identifiers } = await h.store.erase({ locator: 'email', value: EMAIL }, T0 + 10)
    expect(counts.tables).toMatchObject({ telegram_chats: 2, telegram_codes: 2 })
    expect(counts.jobs.tokens).toEqual({ held: 0, queued: 2, sent: 0, dead: 0 })
    expect(identifiers).toEqual(expect.arrayContaining(['5550001', '5550002']))
    const dump = await h.dump(TABLES)
    for (const personal of [EMAIL, 'visitor-telegram-1', '5550001', '5550002', 'hash-5550001', 'hash-for-contact']) expect(dump).not.toContain(personal)
    for (const kept of [OTHER, 'visitor-telegram-2', '5550003', 'hash-5550003']) expect(dump).toContain(kept)
  })

  it('erases by visitor its chat, the code that bound it and its token job; the chat is unknown to the bot then', async () => {
    await bound('visitor-telegram-3', EMAIL, '5550004')
    const { counts } = await h.store.erase({ visitor: 'visitor-telegram-3' }, T0 + 10)
    expect(counts.tables).toMatchObject({ telegram_chats: 1, telegram_codes: 1 })
    expect(counts.jobs.tokens).toEqual({ held: 0, queued: 1, sent: 0, dead: 0 })
    expect(await h.dump(TABLES)).not.toContain('5550004')
    const again = { appUuid: APP, updateId: 99, chatId: '5550004', action: { kind: 'start' as const }, at: T0 + 20 }
    expect(await h.store.applyTelegramUpdate(again)).toMatchObject({ outcome: 'refused', reason: 'unknown chat' })
  })

  it('erases a token held for a visitor not linked yet, with its chat', async () => {
    await h.store.addTelegramCode({ codeHash: 'hash-5550006', owner: { visitor: 'visitor-telegram-4' }, at: T0, expiresAt: T0 + 600_000 })
    const update = { appUuid: APP, updateId: 6, chatId: '5550006', action: { kind: 'start' as const, codeHash: 'hash-5550006' }, at: T0 + 1 }
    expect(await h.store.applyTelegramUpdate(update)).toMatchObject({ outcome: 'bound', token: 'held' })
    const { counts } = await h.store.erase({ visitor: 'visitor-telegram-4' }, T0 + 10)
    expect(counts.tables).toMatchObject({ telegram_chats: 1, telegram_codes: 1 })
    // Linked later, the visitor has no token left to release.
    expect(await h.store.linkVisitor({ visitor: 'visitor-telegram-4', locators: { email: EMAIL }, since: 0, heldAfter: 0, at: T0 + 20 })).not.toHaveProperty('tokens')
    expect(await h.dump(TABLES)).not.toContain('5550006')
  })
})
