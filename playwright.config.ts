import { defineConfig, devices } from '@playwright/test'

// Fixed, because e2e/fixtures/*.html name the relay origin http://127.0.0.1:4173 in data-endpoint.
const PORT = 4173
const origin = `http://127.0.0.1:${PORT}`

export default defineConfig({
  testDir: './e2e',
  outputDir: 'test-results',
  // One browser at a time: every spec shares the fixture server's single beacon log.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 30_000,
  reporter: 'list',
  use: { baseURL: origin },
  projects: [
    {
      name: 'debian-chromium',
      use: {
        ...devices['Desktop Chrome'],
        // Debian's Chromium from apt, not a Playwright download (the registry here has no browser builds).
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
      },
    },
  ],
  webServer: {
    command: 'node e2e/fixture-server.mjs',
    url: `${origin}/health`,
    env: { PORT: String(PORT) },
    // Never talk to a stray server from another run: its beacon log would not be ours.
    reuseExistingServer: false,
    timeout: 20_000,
  },
})
