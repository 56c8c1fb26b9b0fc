import type { Page, TestInfo } from '@playwright/test'
import { waitForEventsOf, withType } from '../support/sandbox.js'
import { expect, test } from './fixtures.js'
import { addToCart, joinTeaClub, openCategory, openProduct, uniqueEmail } from './shop.js'

// Pictures of the shop and of the sandbox for people to look at (CI keeps
// test-results/ as artifacts): the demo is how a new user meets the product.

const DIR = 'test-results/screenshots'

async function shoot(page: Page, testInfo: TestInfo, name: string, fullPage = false): Promise<void> {
  const path = `${DIR}/${name}.png`
  await page.screenshot({ path, fullPage, animations: 'disabled' })
  await testInfo.attach(name, { path, contentType: 'image/png' })
}

test('the shop and the sandbox look like a product (screenshots in test-results/screenshots)', async ({ page, request, pageLog }, testInfo) => {
  const email = uniqueEmail('screenshots')
  await page.goto('/')
  await expect(page.getByRole('banner').getByRole('link', { name: 'What eSputnik receives' })).toHaveAttribute('href', '/sandbox')
  await shoot(page, testInfo, 'shop-home', true)
  await joinTeaClub(page, 'Mariia', email)

  await openCategory(page, 'Loose-leaf Tea')
  await shoot(page, testInfo, 'shop-category')
  await openProduct(page, 'Sencha Kagoshima')
  await addToCart(page)
  await shoot(page, testInfo, 'shop-product')
  await page.getByRole('banner').getByRole('link', { name: 'Cart' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Your cart' })).toBeVisible()
  await shoot(page, testInfo, 'shop-cart')
  await page.goto('/journal/first-flush-explained')
  await expect(page.getByRole('heading', { level: 1, name: 'First flush, explained' })).toBeVisible()
  await shoot(page, testInfo, 'shop-journal')

  await waitForEventsOf(request, [email], (es) => withType(es, 'cartUpdated').length > 0 && withType(es, 'pageViewed').length >= 5)
  await page.goto('/sandbox')
  await expect(page.getByRole('heading', { level: 1, name: 'eSputnik sandbox' })).toBeVisible()
  await expect(page.getByText(email).first()).toBeVisible()
  await shoot(page, testInfo, 'sandbox')

  expect(pageLog.filter((line) => /^\[(error|pageerror)\]/.test(line)), 'no errors in the pages').toEqual([])
})
