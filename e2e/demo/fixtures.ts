import { test as base, expect, type Page } from '@playwright/test'
import { clearUpstreamFaults, sandboxRequests } from '../support/sandbox.js'

// The demo specs' `test`: on a failure it attaches what the sandbox recorded
// and what the pages logged, and after every test it lifts any injected
// upstream fault, so one spec's failure cannot fail the next.

export const test = base.extend<{ pageLog: string[] }>({
  pageLog: [
    async ({ context }, use, testInfo) => {
      const log: string[] = []
      const listen = (page: Page) => {
        page.on('console', (m) => log.push(`[${m.type()}] ${m.text()}`))
        page.on('pageerror', (e) => log.push(`[pageerror] ${e.message}`))
      }
      context.pages().forEach(listen)
      context.on('page', listen)
      await use(log)
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('page console', { body: log.join('\n') || '(empty)', contentType: 'text/plain' })
      }
    },
    { auto: true },
  ],
})

test.afterEach(async ({ request }, testInfo) => {
  await clearUpstreamFaults(request)
  if (testInfo.status !== testInfo.expectedStatus) {
    const recorded = await sandboxRequests(request)
    await testInfo.attach('sandbox requests', { body: JSON.stringify(recorded.slice(-200), null, 2), contentType: 'application/json' })
  }
})

export { expect }
