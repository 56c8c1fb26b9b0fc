import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // e2e/*.spec.ts belong to Playwright, not vitest.
    include: ['test/**/*.test.ts'],
    environment: 'node',
    environmentOptions: { happyDOM: { url: 'https://shop.example.com/' } },
    // A PostgreSQL server for the PostgreSQL store's tests: TEST_DATABASE_URL, or a throwaway cluster.
    globalSetup: ['test/postgres-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
})
