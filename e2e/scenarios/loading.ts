import { expect } from '@playwright/test'
import { matching, waitForEvents } from '../support/relay.js'
import type { Scenario } from './context.js'
import { sdkLoaded, track, waitInPage } from './page.js'

// Loading the SDK as a site does: e2e/fixtures/page.html pastes the stub,
// makes three calls before the script tag, then loads /sdk.js
// (dist/esputnik-tracker.min.js). e2e/fixture-server.mjs stands in for the
// relay and records every post.

const DAY_S = 86_400
/** The address without its origin. */
const routeOf = (url = '') => url.replace(/^https?:\/\/[^/]+/, '')

export const loading: Scenario[] = [
  {
    name: 'calls made before the SDK loads arrive in order, after the automatic page view',
    async run({ driver: { tab }, relay }) {
      await tab.goto('/page.html')

      const events = await waitForEvents(relay, (es) => es.length >= 4)

      expect(events.map((e) => e.type)).toEqual(['pageViewed', 'productViewed', 'productCategoryViewed', 'searchRequest'])
      expect(events[1]?.data).toMatchObject({ productId: 'p1', price: 10 })
      expect(events[2]?.data).toMatchObject({ productCategoryId: 'c1' })
      expect(events[3]?.data).toMatchObject({ search: 'shoes' })
      for (const e of events) expect(e.url).toContain('/page.html')
    },
  },
  {
    name: 'a single-page app gets a page view per new route, none for a same-route replaceState or a hash, and one for the back button',
    async run({ driver: { tab }, relay }) {
      await tab.goto('/page.html')
      await sdkLoaded(tab)

      // What a router does: a new route, its scroll state saved on the same
      // route, an in-page anchor, then the back button twice.
      await tab.evaluate(() => {
        history.pushState({}, '', '/page.html?step=2')
        history.replaceState({ scrollY: 120 }, '', '/page.html?step=2')
        history.pushState({}, '', '/page.html?step=2#reviews')
        history.back()
      })
      await waitInPage(tab, () => location.search == '?step=2' && location.hash == '', null, 'the back button to ?step=2')
      await tab.evaluate(() => history.back())
      await waitInPage(tab, () => location.search == '', null, 'the back button to the first route')
      // One tab sends in order: once this arrives, every page view before it has.
      await track(tab, 'searchRequest', { search: 'after-back' })

      const events = await waitForEvents(relay, (es) => matching(es, 'searchRequest', { search: 'after-back' }).length > 0)
      expect(matching(events, 'pageViewed').map((e) => routeOf(e.url))).toEqual(['/page.html', '/page.html?step=2', '/page.html'])
    },
  },
  {
    name: 'the visitor cookie lasts about 400 days and keeps the same visitor across a reload',
    async run({ driver, relay }) {
      const { tab } = driver
      await tab.goto('/page.html')
      const firstLoad = await waitForEvents(relay, (es) => matching(es, 'pageViewed').length >= 1)

      const cookie = (await driver.cookies()).find((c) => c.name == 'sc')
      expect(cookie, 'the visitor cookie sc').toBeDefined()
      expect(cookie?.sameSite).toBe('Lax')
      const days = ((cookie?.expires ?? 0) - Date.now() / 1000) / DAY_S
      expect(days).toBeGreaterThan(390)
      expect(days).toBeLessThanOrEqual(400.01)
      expect(cookie?.value).toBe(firstLoad[0]?.visitor)

      await tab.reload()
      const bothLoads = await waitForEvents(relay, (es) => matching(es, 'pageViewed').length >= 2)

      expect(new Set(bothLoads.map((e) => e.visitor))).toEqual(new Set([cookie?.value]))
      const after = (await driver.cookies()).find((c) => c.name == 'sc')
      expect(after?.value).toBe(cookie?.value)
    },
  },
]
