import { expect } from '@playwright/test'
import { LEASE } from '../../src/sdk/queue.js'
import { beacons, matching, repeats, waitForEvents } from '../support/relay.js'
import { waitForQuiet, type Scenario } from './context.js'
import { sdkLoaded, track, tryFlush, visitorId } from './page.js'

// Browsers as people have them: the shop open in two tabs, cookies refused.

export const browsers: Scenario[] = [
  {
    name: 'two open tabs of one visitor send each event once',
    async run({ driver, relay }) {
      const first = driver.tab
      await first.goto('/page.html')
      const second = await driver.newTab()
      await second.goto('/other.html')
      await Promise.all([sdkLoaded(first), sdkLoaded(second)])

      // Calls in turn in both tabs, then both send at once: two senders over one stored queue.
      const searches = ['first-1', 'second-1', 'first-2', 'second-2', 'first-3', 'second-3']
      for (const search of searches) await track(search.startsWith('first') ? first : second, 'searchRequest', { search })
      await Promise.all([tryFlush(first), tryFlush(second)])

      const events = await waitForEvents(
        relay,
        (es) => searches.every((search) => matching(es, 'searchRequest', { search }).length > 0) && matching(es, 'pageViewed').length >= 2,
        { message: 'what both tabs did' },
      )
      // A second send of a request would come once its lease ran out, or at the next flush.
      await waitForQuiet(relay, LEASE + 1_000)

      const received = await beacons(relay)
      expect(repeats(received), 'event ids that arrived more than once').toEqual({})
      expect(received, 'four events of page.html, the page view of other.html and six searches').toHaveLength(11)
      const visitor = await visitorId(first)
      expect(await visitorId(second), 'both tabs are one visitor').toBe(visitor)
      expect(new Set(events.map((e) => e.visitor))).toEqual(new Set([visitor]))
    },
  },
  {
    name: 'with cookies blocked the visitor is kept in localStorage, across pages and a reload',
    async run({ driver, relay, blockCookies }) {
      const { tab } = driver
      await blockCookies()
      await tab.goto('/page.html')
      await sdkLoaded(tab)
      expect(await tab.evaluate(() => ((document.cookie = 'probe=1'), document.cookie)), 'a cookie written is not kept').toBe('')
      const visitor = await visitorId(tab)
      expect(visitor).not.toBe('')

      await tab.goto('/other.html')
      await sdkLoaded(tab)
      expect(await visitorId(tab), 'the same visitor on the next page').toBe(visitor)
      await tab.reload()
      await sdkLoaded(tab)
      expect(await visitorId(tab), 'and after a reload').toBe(visitor)
      expect(await tab.evaluate(() => localStorage.getItem('sc'))).toBe(visitor)
      expect((await driver.cookies()).map((c) => c.name)).not.toContain('sc')

      const events = await waitForEvents(relay, (es) => matching(es, 'pageViewed').length >= 3, { message: 'a page view per load' })
      expect(new Set(events.map((e) => e.visitor))).toEqual(new Set([visitor]))
    },
  },
]
