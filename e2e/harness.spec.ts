import { test, expect } from '@playwright/test'
import { beacons, clearRelay, failNextPosts, recorded } from './support/relay.js'

// Checks the test harness itself (fixture server and Debian's Chromium), so a
// failing SDK spec points at the SDK, not at the plumbing.

test.beforeEach(async ({ request }) => {
  await clearRelay(request)
})

test('the fixture server answers its health check', async ({ request }) => {
  const res = await request.get('/health')
  expect(res.status()).toBe(200)
})

test('the fixture page opens in Debian Chromium with the esputnik stub in place', async ({ page, browser }) => {
  await page.goto('/page.html')
  await expect(page).toHaveTitle('Fixture shop: product page')
  expect(await page.evaluate(() => typeof window.esputnik)).toBe('function')
  expect(browser.version()).toMatch(/^\d+\./)
})

test('the relay stand-in records batches, fails on demand and forgets on clear', async ({ request }) => {
  const batch = {
    v: 1, visitor: 'visitor-1', sent: Date.now(),
    events: [{ id: 'event-0001', type: 'pageViewed', ts: Date.now(), url: 'http://127.0.0.1/page.html', data: {} }],
  }
  const post = () => request.post('/v1/e', { data: JSON.stringify(batch), headers: { 'content-type': 'text/plain;charset=UTF-8' } })

  await failNextPosts(request, 1)
  expect((await post()).status()).toBe(503)
  const ok = await post()
  expect(ok.status()).toBe(202)
  expect(await ok.json()).toEqual({ accepted: 1, rejected: [] })

  expect((await recorded(request)).map((r) => r.status)).toEqual([503, 202])
  expect((await beacons(request)).map((e) => e.id)).toEqual(['event-0001'])
  expect((await recorded(request))[1]?.contentType).toBe('text/plain;charset=UTF-8')

  await clearRelay(request)
  expect(await recorded(request)).toEqual([])
})
