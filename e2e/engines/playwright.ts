import type { BrowserContext, Page } from '@playwright/test'
import { toBrowserCookie, type Driver, type Tab } from '../scenarios/driver.js'

/** The scenarios' driver over a Playwright test's page and context (Debian's Chromium, playwright.config.ts). */
export function createPlaywrightDriver(page: Page, context: BrowserContext): Driver {
  const tabOf = (p: Page): Tab => ({
    goto: async (path) => void (await p.goto(path)),
    reload: async () => void (await p.reload()),
    evaluate: ((fn: () => unknown, arg?: unknown) => p.evaluate(fn as (arg: unknown) => unknown, arg)) as Tab['evaluate'],
    close: () => p.close(),
  })
  return {
    engine: 'chromium',
    tab: tabOf(page),
    newTab: async () => tabOf(await context.newPage()),
    cookies: async () => (await context.cookies()).map(toBrowserCookie),
    offline: (on) => context.setOffline(on),
    // Chromium's own switch (DevTools protocol): document.cookie reads empty and
    // ignores writes, while localStorage still works. It holds for this tab across loads.
    blockCookies: async () => {
      const cdp = await context.newCDPSession(page)
      await cdp.send('Emulation.setDocumentCookieDisabled', { disabled: true })
    },
  }
}
