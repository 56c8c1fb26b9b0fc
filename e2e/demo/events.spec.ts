import type { APIRequestContext } from '@playwright/test'
import { tryFlush } from '../support/page.js'
import { eventsOf, lastSeq, locationOf, sandboxRequests, waitForEventsOf, waitForSubscribe, withType, type SentEvent } from '../support/sandbox.js'
import { expect, test } from './fixtures.js'
import {
  addToCart,
  addToWishlist,
  cartId,
  joinTeaClub,
  lookAtRecommendations,
  openCategory,
  openProduct,
  search,
  subscribeInFooter,
  uniqueEmail,
  visitorId,
} from './shop.js'

// The shop's events as eSputnik receives them, through the real relay and its
// sandbox: ANONYMOUS_EVENTS=hold, so nothing leaves before the visitor is known.

const SEVEN = ['pageViewed', 'productViewed', 'productCategoryViewed', 'cartUpdated', 'productAddedToWishlist', 'productImpressions', 'searchRequest']

/** The body without occurredAt, which only replayed history carries (checked on its own below). */
const bodyOf = (e: SentEvent) => ({ eventTypeKey: e.eventTypeKey, keyValue: e.keyValue, params: e.params.filter((p) => p.name != 'occurredAt') })

/** The one event of this type (and params) the contact has: a second would be a double send. */
function only(events: SentEvent[], type: string, params: Record<string, unknown> = {}): SentEvent {
  const found = withType(events, type, params)
  expect(found, `one ${type} ${JSON.stringify(params)}`).toHaveLength(1)
  return found[0]!
}

async function heldSoFar(request: APIRequestContext): Promise<number> {
  const text = await (await request.get('/metrics')).text()
  return Number(/^esputnik_relay_events_held_total (\d+)/m.exec(text)?.[1] ?? NaN)
}

test('every one of the seven events reaches eSputnik as the right Generate event v2 body once the visitor has subscribed', async ({ page, request, baseURL }) => {
  const email = uniqueEmail('seven')
  await page.goto('/')
  await joinTeaClub(page, 'Olena', email)
  const { contactId, body } = await waitForSubscribe(request, email)
  expect(body).toEqual({
    contact: { channels: [{ type: 'email', value: email }], firstName: 'Olena' },
    groups: ['Newsletter'],
    formType: 'home',
  })

  await openCategory(page, 'Loose-leaf Tea')
  await openProduct(page, 'Darjeeling First Flush')
  await addToWishlist(page)
  await addToCart(page)
  const recycleStateId = await cartId(page)
  await search(page, 'sencha')
  await search(page, 'matcha')
  await page.getByRole('banner').getByRole('link', { name: 'Kettle & Leaf' }).click()
  await lookAtRecommendations(page)

  const events = await waitForEventsOf(
    request,
    [email],
    (es) => SEVEN.every((type) => withType(es, type).length > 0) && withType(es, 'searchRequest').length >= 2 && withType(es, 'pageViewed').length >= 6,
    { message: 'the seven events of the visit' },
  )

  const locators = [
    { name: 'contactId', value: contactId },
    { name: 'email', value: email },
  ]
  const expectBody = (e: SentEvent, params: { name: string; value: string | number }[]) =>
    expect(bodyOf(e)).toEqual({ eventTypeKey: e.eventTypeKey, keyValue: contactId, params: [...locators, ...params] })

  const categoryPage = events.find((e) => e.eventTypeKey == 'pageViewed' && locationOf(e) == `${baseURL}/c/tea`)
  expect(categoryPage, 'the page view of /c/tea').toBeDefined()
  expectBody(categoryPage!, [{ name: 'page', value: JSON.stringify({ location: `${baseURL}/c/tea` }) }])
  expectBody(only(events, 'productCategoryViewed'), [{ name: 'category', value: '{"productCategoryId":"tea"}' }])
  expectBody(only(events, 'productViewed'), [
    { name: 'product', value: '{"productId":"2001","price":16.9,"isInStock":1}' },
    { name: 'currencyCode', value: 'USD' },
  ])
  expectBody(only(events, 'productAddedToWishlist'), [
    { name: 'product', value: '{"productId":"2001","price":16.9,"isInStock":1}' },
    { name: 'currencyCode', value: 'USD' },
  ])
  expectBody(only(events, 'cartUpdated'), [
    { name: 'products', value: '[{"productId":"2001","quantity":1,"price":16.9,"name":"Darjeeling First Flush","category":"tea"}]' },
    { name: 'currencyCode', value: 'USD' },
    { name: 'recycleStateId', value: recycleStateId },
  ])
  expectBody(only(events, 'productImpressions'), [
    { name: 'recomVariantId', value: 'r12v3' },
    { name: 'products', value: '[{"productId":"2001"},{"productId":"1003"},{"productId":"3002"},{"productId":"2002"}]' },
  ])
  expectBody(only(events, 'searchRequest', { search: 'sencha' }), [
    { name: 'search', value: 'sencha' },
    { name: 'isFound', value: '1' },
  ])
  expectBody(only(events, 'searchRequest', { search: 'matcha' }), [
    { name: 'search', value: 'matcha' },
    { name: 'isFound', value: '0' },
  ])
})

test('an anonymous visit is held, then replayed in order under the contact once the visitor subscribes', async ({ page, request, baseURL }) => {
  const heldBefore = await heldSoFar(request)
  const since = await lastSeq(request)
  await page.goto('/')
  await openCategory(page, 'Mugs & Cups')
  await openProduct(page, 'Nordic Stoneware Mug')
  await addToCart(page)
  await search(page, 'kettle')
  await tryFlush(page)
  const visitor = await visitorId(page)

  // The relay has the whole visit, and none of it went to eSputnik: nobody to send it for yet.
  await expect.poll(async () => (await heldSoFar(request)) - heldBefore, { message: 'events held by the relay' }).toBeGreaterThanOrEqual(8)
  const meanwhile = await sandboxRequests(request, since)
  expect(JSON.stringify(meanwhile), 'nothing about this visitor reached eSputnik').not.toContain(visitor)

  const email = uniqueEmail('anon')
  await subscribeInFooter(page, email)
  const { contactId } = await waitForSubscribe(request, email)
  const subscribedAt = (await sandboxRequests(request, since)).find((r) => r.path == '/api/v1/contact/subscribe')!.at

  const events = await waitForEventsOf(request, [email], (es) => es.length >= 8, { message: 'the replayed history' })
  const detail = (e: SentEvent) =>
    e.eventTypeKey == 'pageViewed' ? locationOf(e).replace(baseURL!, '') : JSON.stringify(e.named.product ?? e.named.category ?? e.named.products ?? e.named.search)
  expect(events.map((e) => `${e.eventTypeKey} ${detail(e)}`)).toEqual([
    'pageViewed /',
    'pageViewed /c/mugs',
    'productCategoryViewed {"productCategoryId":"mugs"}',
    'pageViewed /p/nordic-stoneware-mug',
    'productViewed {"productId":"1001","price":18,"isInStock":1}',
    `cartUpdated [{"productId":"1001","quantity":1,"price":18,"name":"Nordic Stoneware Mug","category":"mugs"}]`,
    'pageViewed /search?q=kettle',
    'searchRequest "kettle"',
  ])
  for (const e of events) {
    expect(e.keyValue, `${e.eventTypeKey} is sent for the contact`).toBe(contactId)
    expect(e.named.email).toBe(email)
  }
  // Each carries when it really happened: before the subscribe, in the order of the visit.
  const times = events.map((e) => Date.parse(String(e.named.occurredAt)))
  expect(times.every((t) => t <= subscribedAt), 'every occurredAt is before the subscribe').toBe(true)
  expect(times).toEqual([...times].sort((a, b) => a - b))
  expect(eventsOf(await sandboxRequests(request, since), visitor), 'the visitor id is never a locator').toEqual([])
})
