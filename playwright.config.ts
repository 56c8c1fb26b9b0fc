import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { defineConfig, devices } from '@playwright/test'

// Fixed, because e2e/fixtures/*.html name the relay origin http://127.0.0.1:4173 in data-endpoint.
const PORT = 4173
const origin = `http://127.0.0.1:${PORT}`

// The demo shop (demo/, `npm start`) with the real relay in-process, for e2e/demo.
const DEMO_PORT = Number(process.env.DEMO_PORT ?? 8080)
const demoOrigin = `http://127.0.0.1:${DEMO_PORT}`
// A fresh database per run: held history and dedup of an earlier run must not leak in.
const demoDb = join(tmpdir(), `esputnik-demo-e2e-${process.pid}-${Date.now()}`, 'relay.db')
// The runner (not a worker, which reads this file too) removes it when the run ends, after the servers stopped.
if (!process.env.TEST_WORKER_INDEX) process.on('exit', () => rmSync(dirname(demoDb), { recursive: true, force: true }))

// Debian's Chromium from apt, not a Playwright download (the registry here has no browser builds).
const chromium = {
  ...devices['Desktop Chrome'],
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  },
}

export default defineConfig({
  testDir: './e2e',
  outputDir: 'test-results',
  // One browser at a time: every spec shares the fixture server's single beacon log
  // (and the demo's one sandbox, whose fault injection is server-wide).
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 30_000,
  reporter: 'list',
  use: { baseURL: origin },
  projects: [
    { name: 'debian-chromium', testIgnore: /[\\/]e2e[\\/]demo[\\/]/, use: chromium },
    {
      name: 'demo-shop',
      testDir: './e2e/demo',
      // A whole visit plus the relay's forwarding per test.
      timeout: 60_000,
      use: { ...chromium, baseURL: demoOrigin, viewport: { width: 1280, height: 800 } },
    },
  ],
  webServer: [
    {
      command: 'node e2e/fixture-server.mjs',
      url: `${origin}/health`,
      env: { PORT: String(PORT) },
      // Never talk to a stray server from another run: its beacon log would not be ours.
      reuseExistingServer: false,
      timeout: 20_000,
    },
    {
      // What `npm start` runs; it builds first when dist is missing or stale.
      command: 'node scripts/start.mjs',
      url: `${demoOrigin}/readyz`,
      env: {
        PORT: String(DEMO_PORT),
        SQLITE_PATH: demoDb,
        // POST /sandbox/faults, for the failing-upstream spec.
        SANDBOX_CONTROL: '1',
        // Retries after an injected failure come within a second or two, not the production 1 s → 5 min.
        RETRY_BASE_MS: '250',
        RETRY_MAX_MS: '2000',
        LOG_LEVEL: 'warn',
      },
      reuseExistingServer: false,
      timeout: 120_000,
    },
  ],
})
