import type { Page } from '@playwright/test'

/** What the script tag leaves on window: the stub first, the SDK's function once loaded. */
interface EsputnikGlobal {
  (method: string, ...args: unknown[]): void
  q?: unknown[]
  tracker?: { visitorId: string; flush(): Promise<unknown> }
}

declare global {
  interface Window {
    esputnik: EsputnikGlobal
  }
}

/** Waits until the SDK has replaced the stub (its replay of the queue is done then). */
export async function sdkLoaded(page: Page): Promise<void> {
  await page.waitForFunction(() => !!window.esputnik?.tracker, undefined, { timeout: 10_000 })
}

/** Calls `esputnik(method, data)` in the page, as a site's own code would. */
export async function track(page: Page, method: string, data: unknown): Promise<void> {
  await page.evaluate(([m, d]) => window.esputnik(m as string, d), [method, data] as const)
}

/**
 * Asks the tracker to send now and waits for its promise, for at most `within` ms.
 * Offline, it makes the events really meet a failed send before the test goes
 * on; after a reload, it makes the new page resend what is stored, so a later
 * count of distinct ids is final. Bounded, because a flush that waits for the
 * network to come back would hang the test; a rejection is tolerated, since the
 * specs check delivery at the relay, not the promise.
 */
export async function tryFlush(page: Page, within = 3_000): Promise<void> {
  await page.evaluate((ms) => Promise.race([
    window.esputnik.tracker?.flush().catch(() => undefined),
    new Promise((resolve) => setTimeout(resolve, ms)),
  ]), within)
}
