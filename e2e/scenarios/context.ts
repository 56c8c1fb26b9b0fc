import { expect } from '@playwright/test'
import { recorded, type RelayRequests } from '../support/relay.js'
import type { Driver } from './driver.js'

/** What a scenario is handed: a fresh browser, the fixture server, and the two switches. */
export interface ScenarioContext {
  readonly driver: Driver
  readonly relay: RelayRequests
  /**
   * Offline or back online: the browser's own switch where the engine has one,
   * else the fixture server cuts every request to the relay without an answer,
   * which the page meets as a network error (navigator.onLine stays true then).
   */
  setOffline(on: boolean): Promise<void>
  /**
   * Cookies refused from the next page load on: the browser's own switch where
   * the engine has one, else the fixture server opens every page with a script
   * that makes document.cookie read empty and ignore writes.
   */
  blockCookies(): Promise<void>
  /** Something a reader of the results should know that is not a failure. */
  note(type: string, description: string): void
}

/** One browser scenario, run by every engine (e2e/engines). */
export interface Scenario {
  /** A sentence about what a visitor's browser does. */
  name: string
  /** Milliseconds for the whole scenario. @defaultValue 30_000 */
  timeout?: number
  run(context: ScenarioContext): Promise<void>
}

export function createScenarioContext(driver: Driver, relay: RelayRequests, note: ScenarioContext['note']): ScenarioContext {
  const control = async (path: string) => expect((await relay.post(path)).ok(), path).toBe(true)
  let saidOffline = false
  return {
    driver,
    relay,
    note,
    async setOffline(on) {
      if (driver.offline) return driver.offline(on)
      if (!saidOffline) note('offline', `${driver.engine} has no offline switch: the fixture server cut the relay's requests instead`)
      saidOffline = true
      await control(`/control/offline?on=${on ? 1 : 0}`)
    },
    async blockCookies() {
      if (driver.blockCookies) return driver.blockCookies()
      note('cookies blocked', `${driver.engine} has no switch for it: the fixture pages stubbed document.cookie instead`)
      await control('/control/cookies?blocked=1')
    },
  }
}

/**
 * Resolves once the fixture server's record has not grown for `quietMs`, to
 * show that nothing more arrives: `quietMs` must be longer than the delay of
 * the mechanism that would send more.
 */
export async function waitForQuiet(relay: RelayRequests, quietMs: number, timeout = quietMs + 20_000): Promise<void> {
  const until = Date.now() + timeout
  let count = (await recorded(relay)).length
  let since = Date.now()
  while (Date.now() - since < quietMs) {
    if (Date.now() > until) throw new Error(`the relay kept receiving for ${timeout} ms`)
    await new Promise((resolve) => setTimeout(resolve, 250))
    const now = (await recorded(relay)).length
    if (now != count) (count = now), (since = Date.now())
  }
}
