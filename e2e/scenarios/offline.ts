import { expect } from '@playwright/test'
import { beacons, failNextPosts, matching, recorded, waitForEvents, type Received } from '../support/relay.js'
import type { Scenario } from './context.js'
import { sdkLoaded, track, tryFlush } from './page.js'

// Sends that fail: the network gone (ScenarioContext.setOffline says how each
// engine takes it away) or the relay answering 503. The stored queue must
// deliver every event once the way is clear, each under one id.

const cartOfOne = { products: [{ productId: 'p1', quantity: 1, price: 10 }] }

export const offline: Scenario[] = [
  {
    name: 'events made while offline arrive once the browser is back online',
    async run({ driver: { tab }, relay, setOffline }) {
      await tab.goto('/page.html')
      await sdkLoaded(tab)
      await waitForEvents(relay, (es) => es.length >= 4, { message: 'the page load events, before going offline' })

      await setOffline(true)
      const searches = ['offline-1', 'offline-2', 'offline-3']
      for (const search of searches) await track(tab, 'searchRequest', { search })
      await tryFlush(tab)
      const whileOffline = await beacons(relay)
      expect(searches.flatMap((search) => matching(whileOffline, 'searchRequest', { search })), 'nothing gets through while offline').toEqual([])

      await setOffline(false)
      await tryFlush(tab)

      const events = await waitForEvents(
        relay,
        (es) => searches.every((search) => matching(es, 'searchRequest', { search }).length > 0),
        { timeout: 20_000, message: 'the offline events, after coming back online' },
      )
      for (const search of searches) {
        expect(matching(events, 'searchRequest', { search }), `one event id for "${search}"`).toHaveLength(1)
      }
      expect(events, 'four load events and three offline events, no more').toHaveLength(7)
    },
  },
  {
    name: 'events queued offline and then a reload arrive, each once',
    async run({ driver: { tab }, relay, setOffline }) {
      await tab.goto('/page.html')
      await sdkLoaded(tab)
      await waitForEvents(relay, (es) => es.length >= 4, { message: 'the first load events, before going offline' })

      await setOffline(true)
      await track(tab, 'cartUpdated', cartOfOne)
      await track(tab, 'searchRequest', { search: 'queued' })
      await tryFlush(tab)

      // Online and straight into a reload: a retry may be cut off mid-flight, and the
      // stored queue must still deliver everything from the next load.
      await setOffline(false)
      await tab.reload()
      await sdkLoaded(tab)
      await tryFlush(tab)

      // Two loads of four events each, plus the two queued ones.
      const arrived = (es: Received[]) =>
        es.length >= 10 && matching(es, 'cartUpdated').length > 0 && matching(es, 'searchRequest', { search: 'queued' }).length > 0
      const events = await waitForEvents(relay, arrived, { timeout: 20_000, message: 'the queued events, after the reload' })

      expect(matching(events, 'cartUpdated'), 'one event id for the cart').toHaveLength(1)
      expect(matching(events, 'searchRequest', { search: 'queued' }), 'one event id for the search').toHaveLength(1)
      expect(matching(events, 'pageViewed'), 'one page view per load').toHaveLength(2)
      expect(events, 'none lost, none made twice').toHaveLength(10)
    },
  },
  {
    name: 'events made offline are not lost when the tab closes before the network returns',
    async run({ driver, relay, setOffline }) {
      const { tab } = driver
      await tab.goto('/page.html')
      await sdkLoaded(tab)
      await waitForEvents(relay, (es) => es.length >= 4, { message: 'the page load events, before going offline' })

      // Unlike the reload above, where the unload send may deliver the events, every
      // send of this closing tab is dropped: only the stored queue can bring it back.
      await setOffline(true)
      await track(tab, 'searchRequest', { search: 'closed-tab' })
      await tryFlush(tab)
      // The next tab opens first: closing a browser's last tab may close the browser too.
      const next = await driver.newTab()
      await tab.close()

      await setOffline(false)
      await next.goto('/other.html')
      await sdkLoaded(next)
      await tryFlush(next)

      const events = await waitForEvents(
        relay,
        (es) => es.length >= 6 && matching(es, 'searchRequest', { search: 'closed-tab' }).length > 0,
        { timeout: 20_000, message: 'the event of the closed tab, sent by the next page' },
      )
      expect(matching(events, 'searchRequest', { search: 'closed-tab' }), 'one event id for the search').toHaveLength(1)
      expect(events, 'four load events, the offline one and the next page view').toHaveLength(6)
    },
  },
  {
    name: 'a relay answering 503 for a while delays delivery but loses nothing',
    timeout: 60_000,
    async run({ driver: { tab }, relay }) {
      await failNextPosts(relay, 3)

      await tab.goto('/page.html')
      await sdkLoaded(tab)
      await track(tab, 'productAddedToWishlist', { productId: 'p2', price: 5 })

      // Retries back off, so give them time; the wait still returns as soon as they land.
      const events = await waitForEvents(relay, (es) => es.length >= 5, { timeout: 45_000, message: 'every event, once the relay recovers' })
      expect(events.map((e) => e.type).sort()).toEqual(['pageViewed', 'productAddedToWishlist', 'productCategoryViewed', 'productViewed', 'searchRequest'])

      // The failures did happen, and every event refused then was delivered later.
      const refused = (await recorded(relay)).filter((r) => r.status == 503)
      expect(refused).toHaveLength(3)
      const refusedIds = refused.flatMap((r) => (r.body as { events?: { id: string }[] }).events?.map((e) => e.id) ?? [])
      expect(refusedIds.length).toBeGreaterThan(0)
      const delivered = new Set(events.map((e) => e.id))
      for (const id of refusedIds) expect(delivered.has(id), `refused event ${id} delivered later`).toBe(true)
    },
  },
]
