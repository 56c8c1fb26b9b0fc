import { locationOf, waitForEventsOf, withType, type SentEvent } from '../support/sandbox.js'
import { expect, test } from './fixtures.js'
import { search, subscribedVisitor } from './shop.js'

// The journal is a single-page app on the SDK's npm build (dist/index.mjs
// through an import map): its page views come from the tracker's history
// watching, not from page loads.

const ARTICLE = '/journal/sencha-at-seventy-degrees'
const TOPIC = '/journal/topic/green'

test('the journal counts one page view per route change, none for a same-URL replaceState, and one for the back button', async ({ page, request, baseURL }) => {
  // The footer's subscribe here goes through the npm build's tracker too.
  const email = await subscribedVisitor(page, request, 'journal', '/journal')
  await expect(page.getByRole('heading', { level: 1, name: 'Notes from the tea shelf' })).toBeVisible()

  await page.getByRole('link', { name: 'Sencha at seventy degrees' }).click()
  await page.waitForURL(`**${ARTICLE}`)
  await expect(page.getByRole('heading', { level: 1, name: 'Sencha at seventy degrees' })).toBeVisible()

  // Reading down the article: the router saves the scroll position with replaceState on the same URL.
  await page.mouse.wheel(0, 600)
  await page.waitForFunction(() => (history.state as { scrollY?: number } | null)?.scrollY! > 0)

  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Green tea' }).click()
  await page.waitForURL(`**${TOPIC}`)
  await page.goBack()
  await page.waitForURL(`**${ARTICLE}`)
  await expect(page.getByRole('heading', { level: 1, name: 'Sencha at seventy degrees' })).toBeVisible()

  // Leaving the journal for a search: once that arrives, the journal's own page views are all in.
  await search(page, 'gooseneck')
  const events = await waitForEventsOf(request, [email], (es) => withType(es, 'searchRequest', { search: 'gooseneck' }).length > 0, {
    message: 'the journal visit and the search after it',
  })

  // Counted, not ordered: events of one batch may reach eSputnik in any order.
  const views = withType(events, 'pageViewed').map((e: SentEvent) => locationOf(e).replace(baseURL!, ''))
  expect(views.sort()).toEqual(['/journal', ARTICLE, ARTICLE, TOPIC, '/search?q=gooseneck'].sort())
})
