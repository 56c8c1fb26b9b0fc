import type { Request } from '@playwright/test'
import { cartLines, locationOf, waitForEventsOf, withProduct, withType, type SentEvent } from '../support/sandbox.js'
import { expect, test } from './fixtures.js'
import { addToCart, openCategory, openProduct, search, subscribedVisitor, visitorId } from './shop.js'

// Browsers as people have them: the shop open in two tabs, cookies refused.

const pagePaths = (events: SentEvent[], origin: string) => withType(events, 'pageViewed').map((e) => locationOf(e).replace(origin, ''))

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
  expect(withType(events, 'cartUpdated').map(cartLines).sort()).toEqual([['2002×1'], ['2002×1', '3001×1']])

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

test('in a browser that caps script cookies at 7 days, as Safari does, the relay on the shop’s origin keeps the visitor cookie for 400 days', async ({ page, context }) => {
  // Safari's ITP, as a script sees it: a cookie written by document.cookie lives 7 days at most.
  await context.addInitScript(() => {
    const native = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')!
    Object.defineProperty(Document.prototype, 'cookie', {
      configurable: true,
      get() {
        return native.get!.call(this)
      },
      set(value: string) {
        native.set!.call(this, `${value.replace(/;\s*expires=[^;]*/i, '')}; max-age=604800`)
      },
    })
  })
  const answered = page.waitForResponse((r) => r.url().endsWith('/v1/e') && r.status() == 202)
  await page.goto('/')
  const visitor = await visitorId(page)
  expect(await (await answered).headerValue('set-cookie')).toContain(`sc=${visitor}`)
  const days = async () => {
    const cookie = (await context.cookies()).find((c) => c.name == 'sc')
    return cookie?.value == visitor ? Math.round((cookie.expires * 1000 - Date.now()) / 86_400_000) : -1
  }
  await expect.poll(days, { message: 'the cookie’s lifetime once the relay has answered' }).toBe(400)
  await page.reload()
  expect(await visitorId(page), 'the same visitor after a reload').toBe(visitor)
})
