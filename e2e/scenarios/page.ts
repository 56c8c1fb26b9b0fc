import type {} from '../support/page.js' // types window.esputnik
import type { Tab } from './driver.js'

/**
 * Polls `fn(arg)` in the page until it returns true; a poll that meets a
 * navigation in progress just counts as false.
 */
export async function waitInPage<A>(tab: Tab, fn: (arg: A) => boolean, arg: A, message: string, timeout = 10_000): Promise<void> {
  const until = Date.now() + timeout
  for (;;) {
    if (await tab.evaluate(fn, arg).catch(() => false)) return
    if (Date.now() > until) throw new Error(`timed out after ${timeout} ms waiting for ${message}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Waits until the SDK has replaced the stub (its replay of the queue is done then). */
export const sdkLoaded = (tab: Tab): Promise<void> => waitInPage(tab, () => !!window.esputnik?.tracker, null, 'the SDK to load')

/** Waits until the page's address ends with `path` and the page has loaded, after a navigation the page started itself. */
export const landedOn = (tab: Tab, path: string): Promise<void> =>
  waitInPage(tab, (p) => location.href.endsWith(p) && document.readyState == 'complete', path, `the page ${path}`)

/** Calls `esputnik(method, data)` in the page, as a site's own code would. */
export async function track(tab: Tab, method: string, data: unknown): Promise<void> {
  await tab.evaluate(([m, d]) => window.esputnik(m, d), [method, data] as [string, unknown])
}

/** The visitor id the tracker of the page uses. */
export const visitorId = (tab: Tab): Promise<string> => tab.evaluate(() => window.esputnik.tracker?.visitorId ?? '')

/**
 * Asks the tracker to send now and waits for its promise, for at most `within` ms.
 * Offline, it makes the events really meet a failed send before the test goes
 * on; after a reload, it makes the new page resend what is stored, so a later
 * count of distinct ids is final. Bounded, because a flush that waits for the
 * network to come back would hang the test; a rejection is tolerated, since the
 * scenarios check delivery at the relay, not the promise.
 */
export async function tryFlush(tab: Tab, within = 3_000): Promise<void> {
  await tab.evaluate(
    (ms) =>
      Promise.race([
        window.esputnik.tracker?.flush().catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, ms)),
      ]).then(() => true),
    within,
  )
}
