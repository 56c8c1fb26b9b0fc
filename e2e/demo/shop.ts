import { expect, type APIRequestContext, type Page } from '@playwright/test'
import { sdkLoaded } from '../support/page.js'
import { waitForSubscribe } from '../support/sandbox.js'

// The demo shop driven as a person would: links, buttons and forms by their
// visible names, never the shop's internals. Only what a person cannot see
// (the visitor id, the cart id) is read from the tracker.

/** The tracker fields these specs read; e2e/support/page.ts types the rest of window.esputnik. */
interface TrackerView {
  visitorId: string
  cart: { id: string }
}

const tracker = (page: Page) => page.evaluate(() => window.esputnik.tracker as unknown as TrackerView)

/** An address no other test (or earlier run against the same sandbox) has used. */
export const uniqueEmail = (who: string) => `${who}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`

export const uniqueCustomer = () => `C-${Date.now().toString(36).toUpperCase()}${Math.random().toString(36).slice(2, 5).toUpperCase()}`

export async function visitorId(page: Page): Promise<string> {
  await sdkLoaded(page)
  return (await tracker(page)).visitorId
}

/** The cart's recycleStateId, which every cartUpdated carries. */
export async function cartId(page: Page): Promise<string> {
  await sdkLoaded(page)
  return (await tracker(page)).cart.id
}

/** The newsletter form in the footer, there on every page. */
export async function subscribeInFooter(page: Page, email: string): Promise<void> {
  const footer = page.locator('footer')
  await footer.getByRole('textbox', { name: 'Email for the newsletter' }).fill(email)
  await footer.getByRole('button', { name: 'Subscribe' }).click()
  await expect(footer.getByText(email)).toBeVisible()
}

/** A visitor who subscribed in the footer of `path`: from then on their events go to eSputnik at once. Returns the email. */
export async function subscribedVisitor(page: Page, request: APIRequestContext, who: string, path = '/'): Promise<string> {
  const email = uniqueEmail(who)
  await page.goto(path)
  await subscribeInFooter(page, email)
  await waitForSubscribe(request, email)
  return email
}

/** The Tea Club banner on the home page, which also asks for a first name. */
export async function joinTeaClub(page: Page, firstName: string, email: string): Promise<void> {
  const banner = page.locator('.newsletter')
  await banner.getByRole('textbox', { name: 'First name' }).fill(firstName)
  await banner.getByRole('textbox', { name: 'Email for the newsletter' }).fill(email)
  await banner.getByRole('button', { name: 'Join the Tea Club' }).click()
  await expect(banner.getByText(email)).toBeVisible()
}

export async function openCategory(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Shop' }).getByRole('link', { name }).click()
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible()
}

export async function openProduct(page: Page, name: string): Promise<void> {
  await page.getByRole('link', { name, exact: true }).first().click()
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible()
}

/** On a product page. */
export async function addToCart(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Add to cart', exact: true }).click()
  await expect(page.getByRole('status').last()).toContainText('is in your cart')
}

export async function addToWishlist(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Add to wishlist' }).click()
  await expect(page.getByRole('button', { name: 'In your wishlist' })).toBeVisible()
}

export async function search(page: Page, query: string): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search the shop' }).fill(query)
  await page.getByRole('searchbox', { name: 'Search the shop' }).press('Enter')
  await page.waitForURL(`**/search?q=${encodeURIComponent(query)}`)
  await expect(page.getByRole('heading', { level: 1 })).toContainText(query)
}

/** Logs in through the header's link and the log-in form; `login` is an email or a customer number. */
export async function logIn(page: Page, login: string): Promise<void> {
  await page.getByRole('banner').getByRole('link', { name: 'Log in' }).click()
  await page.getByRole('textbox', { name: 'Email or customer number' }).fill(login)
  await page.getByLabel('Password').fill('correct horse battery staple')
  await page.getByRole('button', { name: 'Log in' }).click()
  await expect(page.getByRole('heading', { name: 'Welcome back' })).toBeVisible()
}

export async function logOut(page: Page): Promise<void> {
  await page.getByRole('banner').getByRole('button', { name: 'Log out' }).click()
  await page.waitForURL((url) => url.pathname == '/')
  await expect(page.getByRole('banner').getByRole('link', { name: 'Log in' })).toBeVisible()
}

/** Scrolls the home page's "Recommended for you" into view, which is when its impression counts. */
export async function lookAtRecommendations(page: Page): Promise<void> {
  const block = page.locator('[data-recommended]')
  await block.scrollIntoViewIfNeeded()
  await expect(block).toBeInViewport({ ratio: 0.5 })
}
