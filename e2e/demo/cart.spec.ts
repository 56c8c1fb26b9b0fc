import { cartLines, waitForEventsOf, withType } from '../support/sandbox.js'
import { expect, test } from './fixtures.js'
import { addToCart, cartId, openCategory, openProduct, subscribedVisitor } from './shop.js'

// eSputnik keeps one cart per recycleStateId and wants all of it each time.

test('the cart sends its whole contents on every change, an emptied cart too, and starts a new cart after checkout', async ({ page, request }) => {
  const email = await subscribedVisitor(page, request, 'cart')

  await openCategory(page, 'Tea Things')
  await openProduct(page, 'Stainless Mesh Infuser')
  await addToCart(page)
  await openProduct(page, 'Bamboo Coaster Set of 4')
  await addToCart(page)
  const firstCart = await cartId(page)
  await page.getByRole('banner').getByRole('link', { name: 'Cart' }).click()
  await page.getByRole('group', { name: 'Quantity of Stainless Mesh Infuser' }).getByRole('button', { name: 'One more' }).click()
  await page.getByRole('button', { name: 'Remove Stainless Mesh Infuser' }).click()
  await page.getByRole('button', { name: 'Remove Bamboo Coaster Set of 4' }).click()
  await expect(page.getByText('Your cart is empty.')).toBeVisible()

  await page.getByRole('button', { name: 'Add Nordic Stoneware Mug to cart' }).click()
  await page.getByRole('button', { name: 'Place order' }).click()
  await expect(page.getByRole('heading', { name: 'Thank you!' })).toBeVisible()
  await expect.poll(() => cartId(page), { message: 'a new cart id after the order' }).not.toBe(firstCart)
  await page.getByRole('link', { name: 'Keep browsing' }).click()
  const secondCart = await cartId(page)
  expect(secondCart, 'the new cart id outlives the page').not.toBe(firstCart)
  await page.getByRole('button', { name: 'Add Sencha Kagoshima to cart' }).click()

  const events = await waitForEventsOf(request, [email], (es) => withType(es, 'cartUpdated').length >= 7, { message: 'every change of the cart' })
  const carts = withType(events, 'cartUpdated').map((e) => ({
    cart: e.named.recycleStateId,
    lines: cartLines(e).join(' '),
  }))
  // Counted, not ordered: changes made within one batch may reach eSputnik in any order.
  const byCart = (id: string) => carts.filter((c) => c.cart == id).map((c) => c.lines).sort()
  expect(byCart(firstCart)).toEqual(['3001×1', '3001×1 3003×1', '3001×2 3003×1', '3003×1', '', '1001×1'].sort())
  expect(byCart(secondCart)).toEqual(['2002×1'])
})
