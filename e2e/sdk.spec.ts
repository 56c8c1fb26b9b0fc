import { test, expect, type ConsoleMessage } from '@playwright/test'
import { beacons, clearRelay, failNextPosts, matching, recorded, repeats, waitForEvents, type Received } from './support/relay.js'
import { sdkLoaded, track, tryFlush } from './support/page.js'

// The SDK as a site loads it: e2e/fixtures/page.html pastes the stub, makes three
// calls before the script tag, then loads /sdk.js (dist/esputnik-tracker.min.js).
// e2e/fixture-server.mjs stands in for the relay and records every post.

const DAY_S = 86_400
const cartOfOne = { products: [{ productId: 'p1', quantity: 1, price: 10 }] }

let pageLog: string[] = []

test.beforeEach(async ({ page, request }) => {
  await clearRelay(request)
  pageLog = []
  page.on('console', (m: ConsoleMessage) => pageLog.push(`[${m.type()}] ${m.text()}`))
  page.on('pageerror', (e) => pageLog.push(`[pageerror] ${e.message}`))
})

test.afterEach(async ({ request }, testInfo) => {
  // At-least-once delivery may repeat an id (a send during unload is sent again
  // by the next load); the relay dedups, so repeats are noted, not failed.
  const repeated = repeats(await beacons(request))
  if (Object.keys(repeated).length) {
    testInfo.annotations.push({ type: 'repeated event ids', description: JSON.stringify(repeated) })
  }
  if (testInfo.status !== testInfo.expectedStatus) {
    await testInfo.attach('relay log', { body: JSON.stringify(await recorded(request), null, 2), contentType: 'application/json' })
    await testInfo.attach('page console', { body: pageLog.join('\n') || '(empty)', contentType: 'text/plain' })
  }
})

test('calls made before the SDK loads arrive in order, after the automatic page view', async ({ page, request }) => {
  await page.goto('/page.html')

  const events = await waitForEvents(request, (es) => es.length >= 4)

  expect(events.map((e) => e.type)).toEqual(['pageViewed', 'productViewed', 'productCategoryViewed', 'searchRequest'])
  expect(events[1]?.data).toMatchObject({ productId: 'p1', price: 10 })
  expect(events[2]?.data).toMatchObject({ productCategoryId: 'c1' })
  expect(events[3]?.data).toMatchObject({ search: 'shoes' })
  for (const e of events) expect(e.url).toContain('/page.html')
})

test('the visitor cookie lasts about 400 days and keeps the same visitor across a reload', async ({ page, context, request }) => {
  await page.goto('/page.html')
  const firstLoad = await waitForEvents(request, (es) => matching(es, 'pageViewed').length >= 1)

  const cookie = (await context.cookies()).find((c) => c.name == 'sc')
  expect(cookie, 'the visitor cookie sc').toBeDefined()
  expect(cookie?.sameSite).toBe('Lax')
  const days = ((cookie?.expires ?? 0) - Date.now() / 1000) / DAY_S
  expect(days).toBeGreaterThan(390)
  expect(days).toBeLessThanOrEqual(400.01)
  expect(cookie?.value).toBe(firstLoad[0]?.visitor)

  await page.reload()
  const bothLoads = await waitForEvents(request, (es) => matching(es, 'pageViewed').length >= 2)

  expect(new Set(bothLoads.map((e) => e.visitor))).toEqual(new Set([cookie?.value]))
  const after = (await context.cookies()).find((c) => c.name == 'sc')
  expect(after?.value).toBe(cookie?.value)
})

test('an event sent just before navigating away arrives', async ({ page, request }) => {
  await page.goto('/page.html')
  await sdkLoaded(page)

  // The call and the navigation in one task: the batch timer never gets to fire here.
  await page.evaluate((cart) => {
    window.esputnik('cartUpdated', cart)
    location.href = '/other.html'
  }, cartOfOne)
  await page.waitForURL('**/other.html')
  // Let the next page resend whatever the unload left stored, so a second id for the same call would show.
  await sdkLoaded(page)
  await tryFlush(page)

  const events = await waitForEvents(request, (es) => matching(es, 'cartUpdated').length > 0)
  const carts = matching(events, 'cartUpdated')
  expect(carts, 'one event id for the one call').toHaveLength(1)
  expect(carts[0]?.url).toContain('/page.html')
})

test('an event sent just before leaving for a page without the tracker still arrives', async ({ page, request }) => {
  await page.goto('/page.html')
  await sdkLoaded(page)

  // plain.html has no SDK, so only the page being left can deliver this event.
  await track(page, 'cartUpdated', cartOfOne)
  await page.click('#to-plain')
  await page.waitForURL('**/plain.html')

  const events = await waitForEvents(request, (es) => matching(es, 'cartUpdated').length > 0)
  expect(matching(events, 'cartUpdated')).toHaveLength(1)
})

test('events made while offline arrive once the browser is back online', async ({ page, context, request }) => {
  await page.goto('/page.html')
  await sdkLoaded(page)
  await waitForEvents(request, (es) => es.length >= 4, { message: 'the page load events, before going offline' })

  await context.setOffline(true)
  const searches = ['offline-1', 'offline-2', 'offline-3']
  for (const search of searches) await track(page, 'searchRequest', { search })
  await tryFlush(page)
  const whileOffline = await beacons(request)
  expect(searches.flatMap((search) => matching(whileOffline, 'searchRequest', { search })), 'nothing gets through while offline').toEqual([])

  await context.setOffline(false)
  await tryFlush(page)

  const events = await waitForEvents(
    request,
    (es) => searches.every((search) => matching(es, 'searchRequest', { search }).length > 0),
    { timeout: 20_000, message: 'the offline events, after coming back online' },
  )
  for (const search of searches) {
    expect(matching(events, 'searchRequest', { search }), `one event id for "${search}"`).toHaveLength(1)
  }
  expect(events, 'four load events and three offline events, no more').toHaveLength(7)
})

test('events queued offline and then a reload arrive, each once', async ({ page, context, request }) => {
  await page.goto('/page.html')
  await sdkLoaded(page)
  await waitForEvents(request, (es) => es.length >= 4, { message: 'the first load events, before going offline' })

  await context.setOffline(true)
  await track(page, 'cartUpdated', cartOfOne)
  await track(page, 'searchRequest', { search: 'queued' })
  await tryFlush(page)

  // Online and straight into a reload: a retry may be cut off mid-flight, and the
  // stored queue must still deliver everything from the next load.
  await context.setOffline(false)
  await page.reload()
  await sdkLoaded(page)
  await tryFlush(page)

  // Two loads of four events each, plus the two queued ones.
  const arrived = (es: Received[]) =>
    es.length >= 10 && matching(es, 'cartUpdated').length > 0 && matching(es, 'searchRequest', { search: 'queued' }).length > 0
  const events = await waitForEvents(request, arrived, { timeout: 20_000, message: 'the queued events, after the reload' })

  expect(matching(events, 'cartUpdated'), 'one event id for the cart').toHaveLength(1)
  expect(matching(events, 'searchRequest', { search: 'queued' }), 'one event id for the search').toHaveLength(1)
  expect(matching(events, 'pageViewed'), 'one page view per load').toHaveLength(2)
  expect(events, 'none lost, none made twice').toHaveLength(10)
})

test('events made offline are not lost when the tab closes before the network returns', async ({ page, context, request }) => {
  await page.goto('/page.html')
  await sdkLoaded(page)
  await waitForEvents(request, (es) => es.length >= 4, { message: 'the page load events, before going offline' })

  // Unlike the reload above, where the unload send may deliver the events, every
  // send of this closing tab is dropped: only the stored queue can bring it back.
  await context.setOffline(true)
  await track(page, 'searchRequest', { search: 'closed-tab' })
  await tryFlush(page)
  // A blank tab stays open: closing a context's last page would close the context too.
  const next = await context.newPage()
  await page.close()

  await context.setOffline(false)
  await next.goto('/other.html')
  await sdkLoaded(next)
  await tryFlush(next)

  const events = await waitForEvents(
    request,
    (es) => es.length >= 6 && matching(es, 'searchRequest', { search: 'closed-tab' }).length > 0,
    { timeout: 20_000, message: 'the event of the closed tab, sent by the next page' },
  )
  expect(matching(events, 'searchRequest', { search: 'closed-tab' }), 'one event id for the search').toHaveLength(1)
  expect(events, 'four load events, the offline one and the next page view').toHaveLength(6)
})

test('a relay answering 503 for a while delays delivery but loses nothing', async ({ page, request }) => {
  test.setTimeout(60_000)
  await failNextPosts(request, 3)

  await page.goto('/page.html')
  await sdkLoaded(page)
  await track(page, 'productAddedToWishlist', { productId: 'p2', price: 5 })

  // Retries back off, so give them time; expect.poll still returns as soon as they land.
  const events = await waitForEvents(
    request,
    (es) => es.length >= 5,
    { timeout: 45_000, message: 'every event, once the relay recovers' },
  )
  expect(events.map((e) => e.type).sort()).toEqual(
    ['pageViewed', 'productAddedToWishlist', 'productCategoryViewed', 'productViewed', 'searchRequest'],
  )

  // The failures did happen, and every event refused then was delivered later.
  const refused = (await recorded(request)).filter((r) => r.status == 503)
  expect(refused).toHaveLength(3)
  const refusedIds = refused.flatMap((r) => (r.body as { events?: { id: string }[] }).events?.map((e) => e.id) ?? [])
  expect(refusedIds.length).toBeGreaterThan(0)
  const delivered = new Set(events.map((e) => e.id))
  for (const id of refusedIds) expect(delivered.has(id), `refused event ${id} delivered later`).toBe(true)
})
