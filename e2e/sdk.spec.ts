import { test, type ConsoleMessage, type Page } from '@playwright/test'
import { createPlaywrightDriver } from './engines/playwright.js'
import { createScenarioContext, scenarios } from './scenarios/index.js'
import { beacons, clearRelay, recorded, repeats } from './support/relay.js'

// The SDK's browser scenarios (e2e/scenarios) in Debian's Chromium. The same
// list runs in WebKit and Firefox through e2e/engines/run.ts.

let pageLog: string[] = []

test.beforeEach(async ({ context, request }) => {
  await clearRelay(request)
  pageLog = []
  const listen = (page: Page) => {
    page.on('console', (m: ConsoleMessage) => pageLog.push(`[${m.type()}] ${m.text()}`))
    page.on('pageerror', (e) => pageLog.push(`[pageerror] ${e.message}`))
  }
  context.pages().forEach(listen)
  context.on('page', listen)
})

test.afterEach(async ({ request }, testInfo) => {
  // At-least-once delivery may repeat an id (a send during unload is sent again
  // by the next load); the relay dedups, so repeats are noted, not failed.
  const repeated = repeats(await beacons(request))
  if (Object.keys(repeated).length) {
    testInfo.annotations.push({ type: 'repeated event ids', description: JSON.stringify(repeated) })
  }
  if (testInfo.status !== testInfo.expectedStatus) {
    await testInfo.attach('relay log', { body: JSON.stringify(await recorded(request), null, 2), contentType: 'application/json' })
    await testInfo.attach('page console', { body: pageLog.join('\n') || '(empty)', contentType: 'text/plain' })
  }
})

for (const scenario of scenarios) {
  test(scenario.name, async ({ page, context, request }, testInfo) => {
    if (scenario.timeout) test.setTimeout(scenario.timeout)
    const note = (type: string, description: string) => testInfo.annotations.push({ type, description })
    await scenario.run(createScenarioContext(createPlaywrightDriver(page, context), request, note))
  })
}
