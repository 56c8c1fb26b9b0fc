import { insertEvents, linkVisitor, settle } from './decisions.js'
import type { Dialect } from './dialect.js'
import { erase } from './erase.js'
import { insertServerOrders } from './orders.js'
import { toClaimed, toDeadLetter, toLink } from './rows.js'
import { addTelegramTokens, applyTelegramUpdate } from './telegram.js'
import type { Store, StoreCounts } from './types.js'

/**
 * The Store over any dialect: the decisions run in a transaction each, the
 * rest is one statement a call. SQLite and PostgreSQL differ only in the
 * dialect they pass in.
 */
export function createStore(dialect: Dialect): Store {
  const s = dialect.statements
  const readLinks = async (visitor: string) => (await s.links(visitor)).map(toLink)
  return {
    insertEvents: (batch) => dialect.transaction((tx) => insertEvents(tx, batch)),
    insertSubscribe: async ({ request, receivedAt }) => ({ inserted: await s.insertSubscribe(request, receivedAt) }),
    insertServerOrders: (batch) => dialect.transaction((tx) => insertServerOrders(tx, batch)),
    claim: async ({ limit, now, leaseMs }) => toClaimed(await s.claim(now, limit, now + leaseMs)),
    settle: (list) => dialect.transaction((tx) => settle(tx, list)),
    listDeadLetters: async ({ limit = 100, offset = 0 } = {}) => (await s.listDead(limit, offset)).map(toDeadLetter),
    replayDeadLetters: async (ids, now) => s.replayDead(ids == 'all' ? null : ids, now),
    retryNow: async (now) => s.retryNow(now),
    linkVisitor: (link) => dialect.transaction((tx) => linkVisitor(tx, link)),
    getLink: async (visitor) => (await readLinks(visitor)).at(-1)?.locators,
    listLinks: readLinks,
    counts: async () => {
      const counts: StoreCounts = { held: 0, queued: 0, sent: 0, dead: 0, oldestQueuedAt: null }
      for (const { state, n } of await s.counts()) counts[state as 'held'] = n
      counts.oldestQueuedAt = await s.oldestQueued()
      return counts
    },
    purge: async ({ sentBefore, heldBefore, limit }) => ({
      sent: await s.purgeSent(sentBefore, limit),
      held: await s.purgeHeld(heldBefore, limit),
      telegram: await s.purgeTelegram(sentBefore, limit),
      // What orders remember of carts and of their first status lives as long as held events.
      orders: await s.purgeOrderContexts(heldBefore, limit),
    }),
    addTelegramCode: async ({ codeHash, owner, at, expiresAt }) => {
      const [visitor, locators] = 'visitor' in owner ? [owner.visitor, null] : [null, JSON.stringify(owner.locators)]
      await s.insertTelegramCode(codeHash, visitor, locators, at, expiresAt)
    },
    applyTelegramUpdate: (update) => dialect.transaction((tx) => applyTelegramUpdate(tx, update)),
    addTelegramTokens: (tokens) => dialect.transaction((tx) => addTelegramTokens(tx, tokens)),
    checkWritable: async (now) => {
      await s.heartbeat(String(now))
    },
    erase: (target, now) => dialect.transaction((tx) => erase(tx, target, now)),
    close: () => dialect.close(),
  }
}
