/**
 * The little of a browser the scenarios use, so one list of scenarios runs on
 * Playwright's Chromium, WebKitGTK's WebDriver and Firefox over WebDriver BiDi
 * (e2e/engines). Each driver starts from an empty profile: no cookies, no storage.
 */

/** A cookie as the browser holds it, whatever the engine's protocol calls its fields. */
export interface BrowserCookie {
  name: string
  value: string
  /** Seconds since the epoch; undefined for a session cookie. */
  expires?: number
  sameSite?: string
}

/** A cookie as Playwright and Puppeteer list it, which both say -1 for a session cookie. */
export const toBrowserCookie = ({ name, value, expires, sameSite }: { name: string; value: string; expires: number; sameSite?: string }): BrowserCookie => ({
  name,
  value,
  expires: expires < 0 ? undefined : expires,
  sameSite,
})

/** One tab. Paths are on the fixture server (e2e/fixture-server.mjs). */
export interface Tab {
  /** Opens `path` and waits for its load event. */
  goto(path: string): Promise<void>
  /** Reloads the page and waits for its load event. */
  reload(): Promise<void>
  /**
   * Runs `fn` in the page and returns what it returns, awaited. `fn` travels
   * as source text, so it may use only its argument, which must be JSON.
   */
  evaluate<R>(fn: () => R | Promise<R>): Promise<R>
  evaluate<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>
  close(): Promise<void>
}

export type Engine = 'chromium' | 'webkit' | 'firefox'

export interface Driver {
  readonly engine: Engine
  /** The tab a scenario starts in, blank until its first `goto`. */
  readonly tab: Tab
  /** Another tab of the same profile: it shares cookies and storage with the first. */
  newTab(): Promise<Tab>
  /** The cookies the browser holds for the fixture origin. */
  cookies(): Promise<BrowserCookie[]>
  /**
   * Takes every tab offline, or back online, as the browser's own switch does
   * (navigator.onLine, the online event). Absent where the engine has no such switch.
   */
  offline?: (on: boolean) => Promise<void>
  /**
   * From the next page load on, document.cookie reads empty and ignores writes,
   * by a switch of the browser's own. Absent where the engine has none.
   */
  blockCookies?: () => Promise<void>
}

/**
 * `fn(arg)` as one expression of source text, for protocols that take a
 * script (WebDriver's execute, Puppeteer's string evaluate). tsx keeps
 * function names by wrapping inner functions in `__name(...)`, a helper the
 * page does not have; the wrapper gives it one that does nothing.
 */
export function pageExpression(fn: (arg: never) => unknown, arg?: unknown): string {
  return `((__name) => (${fn.toString()})(${arg === undefined ? '' : JSON.stringify(arg)}))((f) => f)`
}
