import puppeteer, { type Page } from 'puppeteer-core'
import { pageExpression, toBrowserCookie, type Tab } from '../scenarios/driver.js'
import type { Engine, OpenDriver } from './engine.js'

// Debian's Firefox ESR (firefox-esr), driven by puppeteer-core over WebDriver
// BiDi: no geckodriver, no browser download. Each driver is a fresh user
// context (its own cookies and storage) of one browser. BiDi can take a page
// offline (navigator.onLine false, fetch fails) but has no cookie-blocking
// switch, so the scenarios use the fixture server's for that.

interface FirefoxOptions {
  /** Where the fixture server answers; tabs' paths are on it. */
  origin: string
}

export async function launchFirefox({ origin }: FirefoxOptions): Promise<Engine> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
    headless: true,
  })
  const version = await browser.version()

  async function open(): Promise<OpenDriver> {
    const context = await browser.createBrowserContext()
    let isOffline = false

    const tabOf = (page: Page): Tab => ({
      goto: async (path) => void (await page.goto(origin + path, { waitUntil: 'load' })),
      reload: async () => void (await page.reload({ waitUntil: 'load' })),
      // A string, not the function: tsx's __name wrappers would not survive Puppeteer's own serialising.
      evaluate: ((fn: (arg: never) => unknown, arg?: unknown) => page.evaluate(pageExpression(fn, arg))) as Tab['evaluate'],
      close: () => page.close(),
    })
    const newPage = async () => {
      const page = await context.newPage()
      if (isOffline) await page.setOfflineMode(true)
      return page
    }

    const first = await newPage()
    return {
      engine: 'firefox',
      version,
      tab: tabOf(first),
      newTab: async () => tabOf(await newPage()),
      cookies: async () => (await context.cookies()).map(toBrowserCookie),
      offline: async (on) => {
        isOffline = on
        await Promise.all((await context.pages()).map((page) => page.setOfflineMode(on)))
      },
      end: () => context.close(),
    }
  }

  return { open, close: () => browser.close() }
}
