import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { isbot, list } from 'isbot'
import { describe, expect, it } from 'vitest'
import { CRAWLER_PATTERNS, isCrawler, REMOVED_PATTERNS } from '../../../src/relay/ingest/crawlers.js'
import { batchOf, startTestRelay, stoppedAfterEach, waitFor, wireEvent, type TestRelay } from '../helpers.js'
import { metric, subscribeBody } from '../identity-helpers.js'
import { quietRecord } from '../quiet.js'

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'
/** What Chromium 156 says with --headless (Puppeteer's and Playwright's default), read from the browser itself. */
const HEADLESS_CHROMIUM = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36'
/** Firefox ESR 153 with --headless, read from the browser itself: the same as its desktop user agent. */
const HEADLESS_FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0'
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36'

const CRAWLERS = [
  GOOGLEBOT,
  'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.6422.175 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36',
  'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)',
  'DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)',
  'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
  'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)',
  'Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)',
  'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)',
  'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)',
  'Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse',
  'Mozilla/5.0 (compatible; PetalBot;+https://webmaster.petalsearch.com/site/petalbot)',
  'Twitterbot/1.0',
]

/** How shops' backends and test suites call the relay: isbot's whole list takes each for a bot. */
const SHOPS_OWN = [
  'node',
  'undici',
  'axios/1.7.2',
  'curl/8.4.0',
  'python-requests/2.32.3',
  'Python-urllib/3.12',
  'python-httpx/0.27.0',
  'Go-http-client/1.1',
  'okhttp/4.12.0',
  'Apache-HttpClient/4.5.14 (Java/17.0.2)',
  'Java-http-client/17.0.2',
  'GuzzleHttp/7 curl/8.4.0 PHP/8.3.1',
  'WordPress/6.5.2; https://shop.example.com',
  'Symfony HttpClient/Curl',
  'RestSharp/110.2.0.0',
  'PostmanRuntime/7.39.0',
  HEADLESS_CHROMIUM,
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Cypress/13.6.0 Chrome/118.0.5993.159 Electron/27.1.3 Safari/537.36',
]

describe('the crawler matcher', () => {
  it('leaves out only patterns that are in isbot’s list, so an isbot update that drops or renames one fails here', () => {
    const missing = Object.keys(REMOVED_PATTERNS).filter((pattern) => !list.includes(pattern))
    expect(missing).toEqual([])
    expect(CRAWLER_PATTERNS).toHaveLength(list.length - Object.keys(REMOVED_PATTERNS).length)
  })

  it.each(CRAWLERS)('still takes %s for a crawler', (ua) => {
    expect(isCrawler(ua)).toBe(true)
  })

  it.each(SHOPS_OWN)('does not take %s for a crawler, which isbot’s whole list does', (ua) => {
    expect(isbot(ua)).toBe(true)
    expect(isCrawler(ua)).toBe(false)
  })

  it.each([HEADLESS_FIREFOX, CHROME, undefined, ''])('does not take a person’s browser, headless Firefox or no user agent (%s) for a crawler', (ua) => {
    expect(isCrawler(ua)).toBe(false)
  })
})

/** The user agent Node's own fetch sends when the caller sets none, as a loopback server sees it. */
async function nodeFetchUserAgent(): Promise<string> {
  let seen = ''
  const server = createServer((request, response) => {
    seen = request.headers['user-agent'] ?? ''
    response.end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
  } finally {
    server.close()
  }
  return seen
}

/** crawler_requests_total of a route; a route never counted has no series yet, which is 0. */
async function crawlerRequests(relay: TestRelay, route: string): Promise<number> {
  const value = await metric(relay, `crawler_requests_total{route="${route}"}`)
  return Number.isNaN(value) ? 0 : value
}

const upstreamIds = (all: { body: unknown }[]) => JSON.stringify(all.map((r) => r.body))

describe('crawlers over HTTP', () => {
  const start = stoppedAfterEach((env: Record<string, string> = {}) =>
    startTestRelay({ env: { ANONYMOUS_EVENTS: 'forward', SUBSCRIBE_RATE_PER_MINUTE: '1000', ...env }, config: { idlePollMs: 20 } }),
  )

  it('answers a Googlebot beacon like a browser’s, sends it nowhere upstream in forward mode, and counts it', async () => {
    const relay = await start()
    const bot = wireEvent('searchRequest', { search: 'crawler-only-term' })
    const person = wireEvent('searchRequest', { search: 'person-term' })
    const botAnswer = await relay.send(batchOf('visitor-googlebot-1', [bot]), { 'user-agent': GOOGLEBOT })
    const personAnswer = await relay.send(batchOf('visitor-person-0001', [person]), { 'user-agent': CHROME })
    expect([botAnswer.status, await botAnswer.json()]).toEqual([personAnswer.status, await personAnswer.json()])
    await waitFor(async () => upstreamIds(await relay.delivered()).includes('person-term'), 'the browser’s event upstream')
    const all = await quietRecord(relay)
    expect(upstreamIds(all)).not.toContain('crawler-only-term')
    expect(upstreamIds(all)).not.toContain('visitor-googlebot-1')
    expect(await crawlerRequests(relay, '/v1/e')).toBe(1)
    expect((await relay.app.relay.store.counts()).sent).toBe(1)
  })

  it('answers a Googlebot subscribe like a person’s and never calls Subscribe contact for it', async () => {
    const relay = await start()
    const bot = await relay.post('/v1/subscribe', subscribeBody('visitor-googlebot-2', { email: 'crawler@example.com' }), { 'user-agent': GOOGLEBOT })
    const body = subscribeBody('visitor-person-0002', { email: 'person@example.com' })
    const person = await relay.post('/v1/subscribe', body, { 'user-agent': CHROME })
    expect(bot.status).toBe(person.status)
    expect(Object.keys((await bot.json()) as object)).toEqual(Object.keys((await person.json()) as object))
    await waitFor(async () => upstreamIds(await relay.recorded('/api/v1/contact/subscribe')).includes('person@example.com'), 'the person’s subscribe upstream')
    const all = await quietRecord(relay)
    expect(upstreamIds(all)).not.toContain('crawler@example.com')
    expect(await crawlerRequests(relay, '/v1/subscribe')).toBe(1)
  })

  it('holds nothing of a Googlebot beacon in hold mode: the store stays empty', async () => {
    const relay = await start({ ANONYMOUS_EVENTS: 'hold' })
    const res = await relay.send(batchOf('visitor-googlebot-3', [wireEvent('pageViewed', {})]), { 'user-agent': GOOGLEBOT })
    expect(res.status).toBe(202)
    expect(await relay.app.relay.store.counts()).toMatchObject({ held: 0, queued: 0, sent: 0, dead: 0 })
  })

  it('sends the beacons of Node’s own fetch and of headless Chromium upstream, as a person’s', async () => {
    const relay = await start()
    const nodeUa = await nodeFetchUserAgent()
    expect(isbot(nodeUa)).toBe(true)
    const fromNode = wireEvent('searchRequest', { search: 'from-node-fetch' })
    const fromHeadless = wireEvent('searchRequest', { search: 'from-headless-chromium' })
    await relay.send(batchOf('visitor-node-fetch-1', [fromNode])) // no user-agent header: Node's own
    await relay.send(batchOf('visitor-headless-01', [fromHeadless]), { 'user-agent': HEADLESS_CHROMIUM })
    await waitFor(async () => {
      const sent = upstreamIds(await relay.delivered())
      return sent.includes('from-node-fetch') && sent.includes('from-headless-chromium')
    }, 'both events upstream')
    expect(await crawlerRequests(relay, '/v1/e')).toBe(0)
  })

  it('keeps a Googlebot beacon with CRAWLER_FILTER=off', async () => {
    const relay = await start({ CRAWLER_FILTER: 'off' })
    await relay.send(batchOf('visitor-googlebot-4', [wireEvent('searchRequest', { search: 'kept-crawler-term' })]), { 'user-agent': GOOGLEBOT })
    await waitFor(async () => upstreamIds(await relay.delivered()).includes('kept-crawler-term'), 'the crawler’s event upstream')
  })
})
