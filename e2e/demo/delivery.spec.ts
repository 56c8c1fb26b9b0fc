import type { APIRequestContext, Page, Request } from '@playwright/test'
import {
  eventsOf,
  failUpstream,
  lastSeq,
  locationOf,
  sandboxRequests,
  waitForEventsOf,
  waitForSubscribe,
  withProduct,
  withType,
  type SentEvent,
} from '../support/sandbox.js'
import { expect, test } from './fixtures.js'
import { addToCart, addToWishlist, openCategory, openProduct, search, subscribeInFooter, uniqueEmail, visitorId } from './shop.js'

// Delivery when browsing is not tidy: leaving at once, losing the network,
// two tabs, no cookies, and an eSputnik that fails for a while.

/** A visitor who subscribed on the home page: from here on their events go upstream at once. */
async function subscribedVisitor(page: Page, request: APIRequestContext, who: string): Promise<string> {
  const email = uniqueEmail(who)
  await page.goto('/')
  await subscribeInFooter(page, email)
  await waitForSubscribe(request, email)
  return email
}

const pagePaths = (events: SentEvent[], origin: string) => withType(events, 'pageViewed').map((e) => locationOf(e).replace(origin, ''))
const cartContents = (e: SentEvent) => (e.named.products as { productId: string; quantity: number }[]).map((p) => `${p.productId}×${p.quantity}`)

test('an add-to-cart clicked just before leaving the page reaches eSputnik', async ({ page, request }) => {
  const email = await subscribedVisitor(page, request, 'leaving')
  await openCategory(page, 'Tea Things')
  await openProduct(page, 'Bamboo Coaster Set of 4')

  // Two quick clicks: the cart button, then a link away, well inside the SDK's one-second batch.
  await page.getByRole('button', { name: 'Add to cart', exact: true }).click()
  await page.getByRole('navigation', { name: 'Shop' }).getByRole('link', { name: 'Journal' }).click()
  await page.waitForURL('**/journal')

  const events = await waitForEventsOf(request, [email], (es) => withType(es, 'cartUpdated').length > 0, { message: 'the cart of the page that was left' })
  expect(withType(events, 'cartUpdated').map(cartContents), 'sent once').toEqual([['3003×1']])
})

test('events made offline reach eSputnik once the connection is back', async ({ page, context, request }) => {
  const email = await subscribedVisitor(page, request, 'offline')
  await openCategory(page, 'Loose-leaf Tea')
  await openProduct(page, 'Earl Grey Cream')

  await context.setOffline(true)
  const failed = page.waitForEvent('requestfailed', (r) => r.url().endsWith('/v1/e'))
  await addToWishlist(page)
  await addToCart(page)
  await failed
  expect(withType(eventsOf(await sandboxRequests(request), email), 'cartUpdated'), 'nothing gets out while offline').toEqual([])

  await context.setOffline(false)
  const events = await waitForEventsOf(
    request,
    [email],
    (es) => withProduct(es, 'productAddedToWishlist', '2003').length > 0 && withType(es, 'cartUpdated').length > 0,
    { message: 'the wishlist and cart events made offline' },
  )
  expect(withProduct(events, 'productAddedToWishlist', '2003')).toHaveLength(1)
  expect(withType(events, 'cartUpdated').map(cartContents)).toEqual([['2003×1']])
})

test('two open tabs deliver each event to eSputnik once', async ({ page, context, request, baseURL }, testInfo) => {
  const email = await subscribedVisitor(page, request, 'two-tabs')
  const other = await context.newPage()
  // Which tab posted which event id: both share one stored queue.
  const posted = new Map<string, Set<string>>()
  const note = (tab: string) => (r: Request) => {
    if (!r.url().endsWith('/v1/e')) return
    for (const e of (JSON.parse(r.postData() ?? '{}') as { events?: { id: string }[] }).events ?? []) {
      posted.set(e.id, (posted.get(e.id) ?? new Set()).add(tab))
    }
  }
  page.on('request', note('first'))
  other.on('request', note('second'))

  await other.goto('/c/accessories')
  await openCategory(page, 'Loose-leaf Tea')
  await openProduct(page, 'Sencha Kagoshima')
  await openProduct(other, 'Stainless Mesh Infuser')
  await addToCart(page)
  await addToCart(other)
  await search(page, 'darjeeling')
  await search(other, 'teapot')

  const events = await waitForEventsOf(
    request,
    [email],
    (es) =>
      withType(es, 'searchRequest').length >= 2 &&
      withType(es, 'cartUpdated').length >= 2 &&
      withProduct(es, 'productViewed', '2002').length > 0 &&
      withProduct(es, 'productViewed', '3001').length > 0,
    { message: 'what both tabs did' },
  )
  const origin = baseURL!
  expect(pagePaths(events, origin).filter((p) => p != '/').sort()).toEqual(
    ['/c/accessories', '/c/tea', '/p/mesh-tea-infuser', '/p/sencha-kagoshima', '/search?q=darjeeling', '/search?q=teapot'].sort(),
  )
  expect(withProduct(events, 'productViewed', '2002')).toHaveLength(1)
  expect(withProduct(events, 'productViewed', '3001')).toHaveLength(1)
  expect(withType(events, 'searchRequest').map((e) => e.named.search).sort()).toEqual(['darjeeling', 'teapot'])
  // One cart in the shop's storage, shared by both tabs: the second change sends both lines.
  expect(withType(events, 'cartUpdated').map(cartContents).sort()).toEqual([['2002×1'], ['2002×1', '3001×1']])

  // At-least-once from the browser is allowed (the relay dedups); note any id both tabs posted.
  const byBoth = [...posted].filter(([, tabs]) => tabs.size > 1).map(([id]) => id)
  if (byBoth.length) testInfo.annotations.push({ type: 'event ids posted by both tabs', description: byBoth.join(', ') })
})

test('with cookies blocked the shop still tracks, keeping the visitor in localStorage', async ({ page, context, request }) => {
  // As a browser set to refuse every cookie: document.cookie reads empty and ignores writes.
  await context.addInitScript(() => {
    Object.defineProperty(Document.prototype, 'cookie', { configurable: true, get: () => '', set: () => {} })
  })
  const email = await subscribedVisitor(page, request, 'no-cookies')
  const visitor = await visitorId(page)
  await openCategory(page, 'Mugs & Cups')
  expect(await visitorId(page), 'the same visitor on the next page').toBe(visitor)
  await page.reload()
  expect(await visitorId(page), 'and after a reload').toBe(visitor)
  expect(await page.evaluate(() => localStorage.getItem('sc'))).toBe(visitor)
  expect((await context.cookies()).map((c) => c.name)).not.toContain('sc')

  await openProduct(page, 'Speckled Enamel Camp Mug')
  const events = await waitForEventsOf(request, [email], (es) => withProduct(es, 'productViewed', '1002').length > 0, {
    message: 'the browsing after the subscribe, under the contact',
  })
  expect(withType(events, 'productCategoryViewed').map((e) => e.named.category)).toEqual([{ productCategoryId: 'mugs' }, { productCategoryId: 'mugs' }])
})

test('a failing eSputnik delays delivery but loses nothing', async ({ page, request }) => {
  const email = await subscribedVisitor(page, request, 'upstream-500')
  await waitForEventsOf(request, [email], (es) => withType(es, 'pageViewed').length > 0, { message: 'the home page view, replayed' })

  const since = await lastSeq(request)
  await failUpstream(request, 500, 5)
  await openCategory(page, 'Mugs & Cups')
  await openProduct(page, 'Handmade Ceramic Mug, Sage')
  await addToWishlist(page)
  await search(page, 'infuser')

  const events = await waitForEventsOf(
    request,
    [email],
    (es) =>
      withType(es, 'productCategoryViewed').length > 0 &&
      withProduct(es, 'productViewed', '1004').length > 0 &&
      withProduct(es, 'productAddedToWishlist', '1004').length > 0 &&
      withType(es, 'searchRequest').length > 0 &&
      withType(es, 'pageViewed').length >= 4,
    { timeout: 30_000, message: 'every event, once eSputnik answers again' },
  )
  const failures = (await sandboxRequests(request, since)).filter((r) => r.status == 500)
  expect(failures, 'eSputnik did fail five times').toHaveLength(5)
  expect(withType(events, 'productCategoryViewed')).toHaveLength(1)
  expect(withProduct(events, 'productViewed', '1004').map((e) => e.named.product)).toEqual([{ productId: '1004', price: 26, isInStock: 0 }])
  expect(withProduct(events, 'productAddedToWishlist', '1004')).toHaveLength(1)
  expect(withType(events, 'searchRequest').map((e) => [e.named.search, e.named.isFound])).toEqual([['infuser', 1]])
})
