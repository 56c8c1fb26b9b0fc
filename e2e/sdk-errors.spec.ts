import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, expect, type ConsoleMessage, type Page } from '@playwright/test'
import { freePort } from '../scripts/free-port.mjs'
import type { RecordedRequest } from '../src/relay/sandbox/recorder.js'
import type { TrackerError } from '../src/sdk/types.js'

// What a shop's onError sees in a real browser, against the real relay
// (`node dist/relay/main.js`, built by `npm run build`). The page is served on
// the fixture server's origin (http://127.0.0.1:4173) and loads the script tag
// from it (/sdk.js, dist/esputnik-tracker.min.js); its endpoint is a relay
// started here: one that lists this origin in ALLOWED_ORIGINS, one that lists
// only another, one that also has the Telegram settings, and one that forwards
// an unknown visitor's events at once (ANONYMOUS_EVENTS=forward), so its
// sandbox shows what it accepted.

const PAGE_ORIGIN = 'http://127.0.0.1:4173'
const UUID = /^[\da-f]{8}-[\da-f]{4}-4[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/

interface Relay {
  url: string
  stop(): Promise<void>
}

/** The relay as deployed, on its own port and a throwaway SQLite file, with `allowedOrigins` as ALLOWED_ORIGINS (and `env`). */
async function startRelay(allowedOrigins: string, env: Record<string, string> = {}): Promise<Relay> {
  const dir = mkdtempSync(join(tmpdir(), 'esputnik-sdk-errors-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child: ChildProcess = spawn(process.execPath, ['dist/relay/main.js'], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      ALLOWED_ORIGINS: allowedOrigins,
      SQLITE_PATH: join(dir, 'relay.db'),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (chunk) => (stderr += chunk))
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await expect
      .poll(async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.status, {
        message: `relay on ${url} answers /healthz (stderr: ${stderr})`,
        timeout: 15_000,
      })
      .toBe(200)
  } catch (error) {
    await stop()
    throw error
  }
  return { url, stop }
}

/** What the page's onError has received (e2e/fixtures/sdk-errors.html records it in window.errors). */
const errorsOf = (page: Page) => page.evaluate(() => (window as unknown as { errors: TrackerError[] }).errors)
/** The bodies of the requests the page keeps in localStorage for a retry. */
const storedBodies = (page: Page) =>
  page.evaluate(() =>
    Object.keys(localStorage)
      .filter((key) => key.startsWith('esputnik:q:'))
      .map((key) => JSON.parse(JSON.parse(localStorage.getItem(key)!).b) as { events: { id: string; type: string }[] }),
  )

/** The settings that give a relay its Telegram link route (README, "Telegram"). */
const TELEGRAM = {
  TELEGRAM_APP_UUID: '3f2b8c1e-9d4a-4c7e-8b1a-2e5f6a7b8c9d',
  TELEGRAM_BOT_USERNAME: 'ShopTestBot',
  TELEGRAM_WEBHOOK_SECRET: 'e2e-secret-0123456789abcdef',
}

let allowing: Relay
let refusing: Relay
let withTelegram: Relay
let forwarding: Relay

test.beforeAll(async () => {
  ;[allowing, refusing, withTelegram, forwarding] = await Promise.all([
    startRelay(PAGE_ORIGIN),
    startRelay('https://another-shop.example'),
    startRelay(PAGE_ORIGIN, TELEGRAM),
    startRelay(PAGE_ORIGIN, { ANONYMOUS_EVENTS: 'forward' }),
  ])
})

test.afterAll(async () => {
  await Promise.all([allowing?.stop(), refusing?.stop(), withTelegram?.stop(), forwarding?.stop()])
})

type PageEsputnik = ((...args: unknown[]) => string) & { tracker: { telegramLink(): Promise<string> } }
/** Waits until the relay has answered the page's own calls (its searchRequest refused), as a shop's later calls would. */
const pageAnswered = (page: Page) => expect.poll(() => errorsOf(page), { timeout: 10_000 }).toHaveLength(1)

// e2e/fixtures/sdk-errors.html: the stub, an onError that records, a good
// productViewed and a searchRequest the relay refuses, then the script tag on
// the relay named in the query. It comes from the fixture server itself, as
// a shop's page comes from its server (a page Playwright made up would count
// as public to Chromium, which then refuses it any loopback relay).
test('a relay that refuses the page origin (CORS) gives one onError for the request, with the ids it carries', async ({ page }) => {
  const consoleLines: string[] = []
  page.on('console', (message: ConsoleMessage) => consoleLines.push(message.text()))
  await page.goto(`/sdk-errors.html?endpoint=${refusing.url}`)

  // Three failed tries: at once, then after the backoff's 1–2 s and 2–4 s.
  await expect.poll(() => errorsOf(page), { timeout: 20_000 }).toHaveLength(1)
  const [error] = await errorsOf(page)
  // The batch is kept for later: the error names exactly the events it holds.
  const [batch] = await storedBodies(page)
  expect(batch!.events.map((event) => event.type)).toEqual(['productViewed', 'searchRequest'])
  expect(error).toEqual({ method: 'send', reason: 'network error', ids: batch!.events.map((event) => event.id) })
  // Only the browser's console names the cause.
  expect(consoleLines).toContainEqual(expect.stringMatching(/blocked by CORS policy: No 'Access-Control-Allow-Origin' header/))
})

test('a relay that takes the batch but refuses one event gives one onError, with the helper and its id', async ({ page }) => {
  await page.goto(`/sdk-errors.html?endpoint=${allowing.url}`)
  await expect.poll(() => errorsOf(page), { timeout: 10_000 }).toHaveLength(1)
  const [error] = await errorsOf(page)
  expect(error).toEqual({ method: 'searchRequest', id: expect.stringMatching(UUID), reason: expect.stringMatching(/isFound/) })
  // Delivered: nothing is left to retry, and the refused event is not sent again.
  await expect.poll(async () => (await storedBodies(page)).length).toBe(0)
})

test("a custom event the relay's CUSTOM_EVENT_TYPES does not list gives one onError naming track, its id and the reason", async ({ page }) => {
  await page.goto(`/sdk-errors.html?endpoint=${allowing.url}`)
  await pageAnswered(page)
  const id = await page.evaluate(() => (window as unknown as { esputnik: PageEsputnik }).esputnik('track', 'quizCompleted', { score: 8 }))
  await expect.poll(() => errorsOf(page), { timeout: 10_000 }).toHaveLength(2)
  expect((await errorsOf(page))[1]).toEqual({ method: 'track', id, reason: expect.stringMatching(/CUSTOM_EVENT_TYPES/) })
})

test('telegramLink resolves the bot link of a relay set up for Telegram, and tells onError when there is none', async ({ page }) => {
  await page.goto(`/sdk-errors.html?endpoint=${withTelegram.url}`)
  await pageAnswered(page)
  const link = await page.evaluate(() => (window as unknown as { esputnik: PageEsputnik }).esputnik.tracker.telegramLink())
  expect(link).toMatch(/^https:\/\/t\.me\/ShopTestBot\?start=[\w-]{1,64}$/)
  expect(await errorsOf(page)).toHaveLength(1)

  // A relay without the Telegram settings has no link route: its 404 carries CORS, so the page reads it.
  await page.goto(`/sdk-errors.html?endpoint=${allowing.url}`)
  await pageAnswered(page)
  expect(await page.evaluate(() => (window as unknown as { esputnik: PageEsputnik }).esputnik.tracker.telegramLink())).toBe('')
  await expect.poll(() => errorsOf(page)).toHaveLength(2)
  expect((await errorsOf(page))[1]).toEqual({ method: 'telegramLink', reason: expect.stringMatching(/^HTTP 404/) })
})

/** The productIds of the productViewed calls the relay's sandbox has recorded (eSputnik's Generate event). */
async function viewedUpstream(relay: Relay): Promise<string[]> {
  const answer = await fetch(`${relay.url}/sandbox/requests?path=${encodeURIComponent('/api/v2/event')}`)
  const { requests } = (await answer.json()) as { requests: RecordedRequest[] }
  return requests.flatMap((request) => {
    const body = request.body as { eventTypeKey: string; params: { name: string; value: string }[] }
    const product = body.eventTypeKey == 'productViewed' ? body.params.find((param) => param.name == 'product') : undefined
    return product ? [(JSON.parse(product.value) as { productId: string }).productId] : []
  })
}

test('an event too large for eSputnik is refused at ingest and onError gets the reason', async ({ page }) => {
  await page.goto(`/sdk-errors.html?endpoint=${forwarding.url}`)
  await pageAnswered(page)
  // 25 properties of 1,000 characters: each within the relay's checks, together over eSputnik's 20 KB body.
  const properties = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`note${i}`, 'x'.repeat(1000)]))
  const batches: string[] = []
  page.on('request', (request) => void (request.url() == `${forwarding.url}/v1/e` && batches.push(request.postData() ?? '')))
  const [id, smallId] = await page.evaluate(
    (properties) => {
      const { esputnik } = window as unknown as { esputnik: PageEsputnik }
      return [esputnik('productViewed', { productId: 'p-too-large', price: 10, properties }), esputnik('productViewed', { productId: 'p-small', price: 5 })]
    },
    properties,
  )
  await expect.poll(() => errorsOf(page), { timeout: 10_000 }).toHaveLength(2)
  // One batch carried both: the tracker sends what was called within its flush interval together.
  const batch = batches.map((body) => JSON.parse(body) as { events: { id: string }[] }).find((b) => b.events.some((event) => event.id == id))
  expect(batch?.events.map((event) => event.id)).toEqual([id, smallId])
  expect((await errorsOf(page))[1]).toEqual({ method: 'productViewed', id, reason: expect.stringMatching(/at most 20480\b/) })
  // The other event of the batch was taken: it reaches eSputnik (the sandbox), and nothing is left to retry.
  // The large one was never stored: had it been, it would have been tried first, and the sandbox records every try.
  await expect.poll(() => viewedUpstream(forwarding), { timeout: 10_000 }).toContain('p-small')
  expect(await viewedUpstream(forwarding)).not.toContain('p-too-large')
  await expect.poll(async () => (await storedBodies(page)).length).toBe(0)
})
