import { waitForEventsOf, withType } from '../support/sandbox.js'
import { expect, test } from './fixtures.js'
import { openCategory, openProduct, subscribeInFooter, uniqueEmail } from './shop.js'

// A custom event: the sold-out product's "Tell me when it's back" sends
// esputnik('track', 'backInStockRequested', …), which the demo relay's
// CUSTOM_EVENT_TYPES lists; held like the rest of the visit, it reaches
// eSputnik once the visitor subscribes, as Generate event with its own key.

test('a back-in-stock request on a sold-out product reaches eSputnik once as a custom event after the visitor subscribes', async ({ page, request }) => {
  const email = uniqueEmail('back-in-stock')
  await page.goto('/')
  await openCategory(page, 'Mugs & Cups')
  await openProduct(page, 'Handmade Ceramic Mug, Sage')
  await page.getByRole('button', { name: 'Tell me when it’s back' }).click()
  await expect(page.getByRole('button', { name: 'We’ll let you know' })).toBeDisabled()
  await subscribeInFooter(page, email)

  const events = await waitForEventsOf(request, [email], (es) => withType(es, 'backInStockRequested').length > 0, {
    message: 'the back-in-stock request under the subscribed email',
  })
  const [asked, ...again] = withType(events, 'backInStockRequested')
  expect(again, 'sent once').toEqual([])
  expect(asked!.named).toMatchObject({ email, productId: '1004', productName: 'Handmade Ceramic Mug, Sage', price: '26' })
})
