import type { FastifyRequest } from 'fastify'
import { createIsbotFromList, list } from 'isbot'

/**
 * Which requests come from crawlers. Crawlers run JavaScript now, so they send
 * beacons and even subscribes: held like a person's they fill the store, and
 * with ANONYMOUS_EVENTS=forward they spend the account's upstream budget.
 *
 * The patterns are isbot's list (https://github.com/omrilotan/isbot), which
 * the field keeps up to date, less the ones that match how a shop's own code
 * talks to the relay: the default user agents of the HTTP clients of the
 * languages shops' backends are written in, and headless browsers, which is
 * how test suites (and the relay's own) load a shop's pages. A crawler that
 * runs the SDK does so in a browser engine and names itself (Googlebot,
 * bingbot, YandexBot...), so it still matches; a generic client never ran the
 * SDK, so whatever it posts, someone wrote code to post it. Missing a rare
 * crawler costs a held row purged after HELD_EVENTS_TTL_DAYS; taking a shop's
 * backend for one would drop its subscribes without a word.
 */

/** The isbot patterns left out, each with the user agents of shops' code it matches. */
export const REMOVED_PATTERNS: Readonly<Record<string, string>> = {
  // Generic HTTP clients, by the language of the backend.
  '^[\\w \\.\\-\\(?:\\):%]+(?:/v?\\d+(?:\\.\\d+)?(?:\\.\\d{1,10})*?)?(?:,|$)':
    "a bare name/version: Node's fetch (node), undici, axios/1.7, curl/8.4, Go-http-client/1.1, Deno/2, Bun/1",
  '^[\\w\\-]+/[\\w]+$': 'a bare name/word: Java/17',
  '^\\w+/[\\w\\(\\)]*$': 'a bare name/word: Java/17',
  '(?<!lib)http': 'Go-http-client, okhttp, Apache-HttpClient, GuzzleHttp, Symfony HttpClient, python-httpx, aiohttp, and WordPress’s https:// site URL',
  '\\.com\\b': 'WordPress (WooCommerce) sends its site URL: WordPress/6.5; https://shop.example.com',
  '^wordpress': 'WordPress (WooCommerce) wp_remote_post',
  url: 'curl/8.4, PHP’s Guzzle (GuzzleHttp/7 curl/8.4 PHP/8.3), Python-urllib',
  'node\\b': 'Node’s fetch (node), node-fetch',
  '^python': 'python-requests, python-httpx, Python-urllib',
  '^php': 'PHP’s own clients (PHP-SOAP, PHP/8.3)',
  'java(?!;)': 'Java/17 (HttpURLConnection), Java-http-client (java.net.http)',
  '^rest': 'RestSharp (.NET), rest-client (Ruby)',
  '^postman': 'Postman, how a developer tries the routes by hand',
  // Headless browsers. Headless Firefox sends desktop Firefox's user agent, which no pattern matches.
  headless: 'HeadlessChrome: Puppeteer, Playwright and Chromium --headless',
  'cypress/': 'Cypress adds Cypress/13.6 to its browser’s user agent',
}

/** isbot's list without REMOVED_PATTERNS. */
export const CRAWLER_PATTERNS: readonly string[] = list.filter((pattern) => !(pattern in REMOVED_PATTERNS))

const matches = createIsbotFromList([...CRAWLER_PATTERNS])

/** Whether a user agent is a crawler's; no user agent is not one (a backend may send none). */
export const isCrawler = (userAgent: string | undefined): boolean => Boolean(userAgent) && matches(userAgent)

/** The request's user agent is a crawler's, and the filter is on. */
export const isCrawlerRequest = (request: FastifyRequest, filter: boolean): boolean => filter && isCrawler(request.headers['user-agent'])
