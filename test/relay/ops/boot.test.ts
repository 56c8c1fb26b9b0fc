import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BUDGET_NAMES, rateOf } from '../../../src/relay/esputnik/budgets.js'
import { bootFacts, describeStore } from '../../../src/relay/ops/boot-line.js'
import { loadConfig } from '../../../src/relay/ops/config.js'
import { startTestRelay, waitFor } from '../helpers.js'
import { configProblems } from './config-problems.js'

/** The relay as `npx esputnik-relay` runs it, in this test's environment (HOME, PATH, NODE_ENV=test…) plus `env`. */
const boot = (env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/relay/main.ts'], {
    env: { ...process.env, PORT: 'x', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  })

describe('settings at boot', () => {
  it('refuses a misspelt setting, naming the setting it resembles', () => {
    expect(configProblems({ DATABSE_URL: 'postgres://db/relay' })).toEqual([
      'DATABSE_URL: is not a setting; did you mean DATABASE_URL? (UNKNOWN_SETTINGS=warn starts anyway)',
    ])
    expect(configProblems({ ESPUTNIK_APIKEY: 'k' })).toEqual([
      'ESPUTNIK_APIKEY: is not a setting; did you mean ESPUTNIK_API_KEY? (UNKNOWN_SETTINGS=warn starts anyway)',
    ])
    expect(configProblems({ SANDBOX_FAILURES: '3' })[0]).toMatch(/^SANDBOX_FAILURES: is not a setting; names starting SANDBOX_ are the relay's; the nearest is SANDBOX_\w+/)
  })

  it('makes the process exit 1 on a misspelt setting, among the system’s own variables it never judges', () => {
    const run = boot({ DATABSE_URL: 'postgres://relay:hunter2@db/relay' })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('  DATABSE_URL: is not a setting; did you mean DATABASE_URL?')
    expect(run.stderr).toContain('  PORT: must be an integer')
    // HOME, PATH, NODE_ENV and npm's variables are in this environment too, and none is named.
    expect(run.stderr).not.toMatch(/\b(HOME|PATH|NODE_ENV|npm_\w+):/)
    expect(run.stderr).not.toContain('hunter2')
  })

  it('only warns with UNKNOWN_SETTINGS=warn', () => {
    const warnings: string[] = []
    const config = loadConfig({ DATABSE_URL: 'postgres://db/relay', UNKNOWN_SETTINGS: 'warn' }, { onWarning: (line) => warnings.push(line) })
    expect(config.databaseUrl).toBeUndefined()
    expect(warnings).toEqual(['DATABSE_URL: is not a setting; did you mean DATABASE_URL?'])
  })

  it('logs the warning of UNKNOWN_SETTINGS=warn when the relay starts', async () => {
    const lines: string[] = []
    const relay = await startTestRelay({
      env: { LOG_LEVEL: 'warn', ESPUTNIK_APIKEY: 'k', UNKNOWN_SETTINGS: 'warn' },
      config: { autoStart: false },
      deps: { logStream: { write: (line) => lines.push(line) } },
    })
    await relay.stop()
    expect(lines.map((line) => JSON.parse(line).msg)).toContain('UNKNOWN_SETTINGS=warn: ESPUTNIK_APIKEY: is not a setting; did you mean ESPUTNIK_API_KEY?')
  })

  it('refuses NODE_ENV=production without an API key, instead of sending everything to the sandbox', () => {
    expect(configProblems({ NODE_ENV: 'production' })).toEqual([
      'ESPUTNIK_API_KEY: is required with NODE_ENV=production; without it every event goes to the built-in sandbox and never reaches eSputnik',
    ])
    expect(configProblems({ NODE_ENV: 'production', ESPUTNIK_API_KEY: 'k' })).toEqual([])
    expect(configProblems({ NODE_ENV: 'development' })).toEqual([])
    const run = boot({ NODE_ENV: 'production', PORT: '0' })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('ESPUTNIK_API_KEY: is required with NODE_ENV=production')
  })
})

describe('the boot line', () => {
  it('names the store, the upstream, every budget with its rate, the proxy trust and the routes', async () => {
    const lines: string[] = []
    const relay = await startTestRelay({
      env: { LOG_LEVEL: 'info', TRUST_PROXY: '1', SERVER_TOKEN: 't'.repeat(16), UPSTREAM_RATE_PER_SEC: '120' },
      config: { autoStart: false },
      deps: { logStream: { write: (line) => lines.push(line) } },
    })
    const line = await waitFor(() => lines.map((l) => JSON.parse(l)).find((l) => l.boot), 'the boot line')
    await relay.stop()
    expect(line.level).toBe(30)
    expect(line.msg).toContain(`store SQLite ${join(relay.dir, 'relay.db')}`)
    expect(line.msg).toContain(`upstream the built-in sandbox at ${relay.url}/sandbox`)
    // Every budget of esputnik/budgets.ts, with the rate of its setting: a new budget shows by itself.
    const config = loadConfig({ UPSTREAM_RATE_PER_SEC: '120' })
    const budgets = BUDGET_NAMES.map((budget) => `${budget} ${rateOf(budget, config)}/s`)
    expect(budgets[0]).toBe('events 120/s')
    expect(line.msg).toContain(`budgets ${budgets.join(', ')} per process`)
    expect(line.msg).toContain('trust proxy 1 hop')
    expect(line.boot.routes).toEqual(expect.arrayContaining(['POST /v1/e', 'POST /v1/server/identify', 'GET /sdk.js', 'GET /readyz', '/sandbox/*']))
    expect(Object.keys(line.boot.budgets)).toEqual(BUDGET_NAMES)
  })

  it('names PostgreSQL by host and database, never its password, and eSputnik when there is a key', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://relay:hunter2@db.internal:6432/relay', DATABASE_POOL_SIZE: '25', ESPUTNIK_API_KEY: 'k' })
    expect(describeStore(config)).toBe('PostgreSQL db.internal:6432/relay (pool 25)')
    const facts = bootFacts(config, { sandboxUrl: 'http://127.0.0.1:1/sandbox', routes: [] })
    expect(facts.upstream).toBe('eSputnik https://esputnik.com')
    expect(JSON.stringify(facts)).not.toContain('hunter2')
  })
})
