import { cartLines, eventsOf, failUpstream, lastSeq, sandboxRequests, waitForEventsOf, withProduct, withType } from '../support/sandbox.js'
import { expect, test } from './fixtures.js'
import { addToCart, addToWishlist, openCategory, openProduct, search, subscribedVisitor } from './shop.js'

// Delivery when browsing is not tidy: leaving at once, losing the network,
// and an eSputnik that fails for a while.

test('an add-to-cart clicked just before leaving the page reaches eSputnik', async ({ page, request }) => {
  const email = await subscribedVisitor(page, request, 'leaving')
  await openCategory(page, 'Tea Things')
  await openProduct(page, 'Bamboo Coaster Set of 4')

  // Two quick clicks: the cart button, then a link away, well inside the SDK's one-second batch.
  await page.getByRole('button', { name: 'Add to cart', exact: true }).click()
  await page.getByRole('navigation', { name: 'Shop' }).getByRole('link', { name: 'Journal' }).click()
  await page.waitForURL('**/journal')

  const events = await waitForEventsOf(request, [email], (es) => withType(es, 'cartUpdated').length > 0, { message: 'the cart of the page that was left' })
  expect(withType(events, 'cartUpdated').map(cartLines), 'sent once').toEqual([['3003×1']])
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
  expect(withType(events, 'cartUpdated').map(cartLines)).toEqual([['2003×1']])
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
  expect(withType(events, 'searchRequest').map((e) => [e.named.search, e.named.isFound])).toEqual([['infuser', '1']])
})
