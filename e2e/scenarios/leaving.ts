import { expect } from '@playwright/test'
import { matching, waitForEvents } from '../support/relay.js'
import type { Scenario } from './context.js'
import { landedOn, sdkLoaded, track, tryFlush } from './page.js'

// The page goes away before the batch timer fires: only what the SDK does
// on pagehide (a keepalive send) and the stored queue can deliver the event.

const cartOfOne = { products: [{ productId: 'p1', quantity: 1, price: 10 }] }

export const leaving: Scenario[] = [
  {
    name: 'an event sent just before navigating away arrives',
    async run({ driver: { tab }, relay }) {
      await tab.goto('/page.html')
      await sdkLoaded(tab)

      // The call and the navigation in one task: the batch timer never gets to fire here.
      await tab.evaluate((cart) => {
        window.esputnik('cartUpdated', cart)
        location.href = '/other.html'
      }, cartOfOne)
      await landedOn(tab, '/other.html')
      // Let the next page resend whatever the unload left stored, so a second id for the same call would show.
      await sdkLoaded(tab)
      await tryFlush(tab)

      const events = await waitForEvents(relay, (es) => matching(es, 'cartUpdated').length > 0)
      const carts = matching(events, 'cartUpdated')
      expect(carts, 'one event id for the one call').toHaveLength(1)
      expect(carts[0]?.url).toContain('/page.html')
    },
  },
  {
    name: 'an event sent just before leaving for a page without the tracker still arrives',
    async run({ driver: { tab }, relay }) {
      await tab.goto('/page.html')
      await sdkLoaded(tab)

      // plain.html has no SDK, so only the page being left can deliver this event.
      await track(tab, 'cartUpdated', cartOfOne)
      await tab.evaluate(() => document.getElementById('to-plain')?.click())
      await landedOn(tab, '/plain.html')

      const events = await waitForEvents(relay, (es) => matching(es, 'cartUpdated').length > 0)
      expect(matching(events, 'cartUpdated')).toHaveLength(1)
    },
  },
]
