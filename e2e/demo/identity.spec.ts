import { eventsOf, lastSeq, sandboxRequests, waitForEventsOf, waitForSubscribe, withProduct, withType } from '../support/sandbox.js'
import { expect, test } from './fixtures.js'
import { logIn, logOut, openCategory, openProduct, subscribeInFooter, uniqueCustomer, uniqueEmail, visitorId } from './shop.js'

// Who the visitor is: the anonymous id in the `sc` cookie, and the link to a
// contact that a log-in (identify, signed by the shop's server) makes.

test('logging in with the signature from the shop links the visit to the customer', async ({ page, request }) => {
  const customer = uniqueCustomer()
  await page.goto('/')
  await openCategory(page, 'Tea Things')
  await openProduct(page, 'Cast Iron Teapot, 0.8 l')

  const identified = page.waitForResponse((r) => r.url().endsWith('/v1/identify'))
  await logIn(page, customer)
  expect((await identified).status(), 'the relay accepts the signed identify').toBe(202)

  // The browsing before the log-in joins the customer, keyed by their own id (no Subscribe contact needed).
  const events = await waitForEventsOf(request, [customer], (es) => withType(es, 'productViewed').length > 0 && es.length >= 6, {
    message: 'the history of the visit, under the customer id',
  })
  const teapot = withType(events, 'productViewed')[0]!
  expect(teapot.keyValue).toBe(customer)
  expect(teapot.named).toMatchObject({ externalCustomerId: customer, product: { productId: '3002', price: 54, isInStock: 1 } })
  expect(teapot.named.occurredAt, 'replayed history says when it happened').toEqual(expect.any(String))
})

test('a tampered log-in signature links nothing', async ({ page, request }) => {
  const customer = uniqueCustomer()
  const since = await lastSeq(request)
  // Someone edits the shop server's answer to claim another customer's profile.
  await page.route('**/demo/login', async (route) => {
    const answer = (await (await route.fetch()).json()) as { signature: string }
    const last = answer.signature.slice(-1)
    await route.fulfill({ json: { ...answer, signature: answer.signature.slice(0, -1) + (last == '0' ? '1' : '0') } })
  })
  await page.goto('/')
  await openCategory(page, 'Mugs & Cups')
  await openProduct(page, 'Speckled Enamel Camp Mug')

  const identified = page.waitForResponse((r) => r.url().endsWith('/v1/identify'))
  await logIn(page, customer)
  expect((await identified).status(), 'the relay refuses the identify').toBe(401)

  // The same visitor subscribes afterwards: once that history arrives, the tampered one would have long been there.
  const email = uniqueEmail('tampered')
  await subscribeInFooter(page, email)
  await waitForSubscribe(request, email)
  await waitForEventsOf(request, [email], (es) => withProduct(es, 'productViewed', '1002').length > 0, {
    message: 'the visit, under the email it subscribed with',
  })
  expect(eventsOf(await sandboxRequests(request, since), customer), `nothing is sent for ${customer}`).toEqual([])
})

test('the visitor id survives reloads, and logging out starts a new visitor', async ({ page, context, request }) => {
  await page.goto('/')
  const first = await visitorId(page)
  expect(first).toMatch(/^[0-9a-f-]{36}$/)
  await page.reload()
  expect(await visitorId(page), 'after a reload').toBe(first)
  await openCategory(page, 'Loose-leaf Tea')
  expect(await visitorId(page), 'on the next page').toBe(first)
  expect((await context.cookies()).find((c) => c.name == 'sc')?.value).toBe(first)

  const email = uniqueEmail('before-logout')
  await logIn(page, email)
  await logOut(page)
  const second = await visitorId(page)
  expect(second, 'a new visitor after logging out').not.toBe(first)
  expect((await context.cookies()).find((c) => c.name == 'sc')?.value).toBe(second)

  // What the next person at this computer does is not sent for the customer who left.
  await openCategory(page, 'Mugs & Cups')
  await openProduct(page, 'Double-Wall Glass Cup')
  const next = uniqueEmail('after-logout')
  await subscribeInFooter(page, next)
  await waitForEventsOf(request, [next], (es) => withProduct(es, 'productViewed', '1003').length > 0, {
    message: 'the new visitor’s browsing, under the new email',
  })
  const before = await waitForEventsOf(request, [email], (es) => withType(es, 'productCategoryViewed').length > 0, {
    message: 'the first visitor’s browsing, under the email that logged in',
  })
  expect(withType(before, 'productCategoryViewed').map((e) => e.named.category)).toEqual([{ productCategoryId: 'tea' }])
  expect(withProduct(before, 'productViewed', '1003'), 'the glass cup was viewed after logging out').toEqual([])
})
