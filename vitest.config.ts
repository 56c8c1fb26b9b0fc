import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // e2e/*.spec.ts belong to Playwright, not vitest.
    include: ['test/**/*.test.ts'],
    environment: 'node',
    environmentOptions: { happyDOM: { url: 'https://shop.example.com/' } },
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
})
