import { eventsOf, waitForSandbox, withType, type SandboxRequest } from '../support/sandbox.js'
import { expect, test } from './fixtures.js'
import { addToCart, cartId, openCategory, openProduct, subscribedVisitor } from './shop.js'

// A purchase: *Place order* posts the cart to the shop's server, which hands
// the order to the relay's /v1/server/orders with the visitor's cookie, as a
// real shop's backend would. eSputnik gets the order event, carrying the
// cart's recycleStateId (which closes that cart), and the Add orders row.

const ADD_ORDERS = '/api/v1/orders'

interface AddedOrder {
  externalOrderId: string
  email?: string
  status: string
  totalCost: number
  additionalInfo?: { recycleStateId?: string }
}

const addedOrders = (requests: SandboxRequest[]): AddedOrder[] =>
  requests.filter((r) => r.path == ADD_ORDERS && r.status == 200).flatMap((r) => (r.body as { orders: AddedOrder[] }).orders)

const describeOrders = (requests: SandboxRequest[]) =>
  addedOrders(requests)
    .map((o) => `${o.externalOrderId} ${o.status} ${o.email} cart ${o.additionalInfo?.recycleStateId}`)
    .join('\n') || '(no Add orders call yet)'

test('placing an order sends orderCreated with the cart’s recycleStateId and the Add orders row, and the account page marks it delivered', async ({ page, request }) => {
  const email = await subscribedVisitor(page, request, 'order')
  await openCategory(page, 'Loose-leaf Tea')
  await openProduct(page, 'Sencha Kagoshima')
  await addToCart(page)
  const cart = await cartId(page)
  await page.getByRole('banner').getByRole('link', { name: 'Cart' }).click()
  await page.getByRole('button', { name: 'Place order' }).click()
  await expect(page.getByRole('heading', { name: 'Thank you!' })).toBeVisible()
  const orderId = (await page.locator('.eyebrow').first().textContent())!.replace('Order ', '').trim()
  expect(orderId).toMatch(/^KL-/)

  const placed = await waitForSandbox(
    request,
    (rs) => withType(eventsOf(rs, email), 'orderCreated', { externalOrderId: orderId }).length > 0 && addedOrders(rs).some((o) => o.externalOrderId == orderId),
    { message: 'orderCreated and the Add orders row', describe: describeOrders },
  )
  const created = withType(eventsOf(placed, email), 'orderCreated', { externalOrderId: orderId })
  expect(created, 'one orderCreated for the order').toHaveLength(1)
  expect(created[0]!.named).toMatchObject({ email, recycleStateId: cart, status: 'INITIALIZED', currency: 'USD' })
  expect(created[0]!.named.items).toEqual([expect.objectContaining({ externalItemId: '2002', quantity: 1, cost: 13.5, name: 'Sencha Kagoshima' })])
  expect(addedOrders(placed).filter((o) => o.externalOrderId == orderId)).toEqual([
    expect.objectContaining({ email, status: 'INITIALIZED', additionalInfo: { recycleStateId: cart } }),
  ])

  await page.getByRole('link', { name: 'Your orders' }).click()
  const row = page.getByRole('listitem').filter({ hasText: `Order ${orderId}` })
  await expect(row).toContainText('On its way')
  await row.getByRole('button', { name: 'Mark as delivered' }).click()
  await expect(row).toContainText('Delivered')

  const delivered = await waitForSandbox(
    request,
    (rs) => withType(eventsOf(rs, email), 'orderDelivered', { externalOrderId: orderId }).length > 0 && addedOrders(rs).some((o) => o.externalOrderId == orderId && o.status == 'DELIVERED'),
    { message: 'orderDelivered and its Add orders row', describe: describeOrders },
  )
  // A later status names the cart the order closed, though a new cart has begun since.
  expect(withType(eventsOf(delivered, email), 'orderDelivered', { externalOrderId: orderId })[0]!.named).toMatchObject({ status: 'DELIVERED', recycleStateId: cart })
  expect(withType(eventsOf(delivered, email), 'orderCreated', { externalOrderId: orderId }), 'still one orderCreated').toHaveLength(1)
  expect(await cartId(page), 'a new cart after the order').not.toBe(cart)
})
