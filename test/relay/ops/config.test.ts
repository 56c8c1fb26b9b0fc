import { readFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/relay/ops/config.js'
import { describeEnv, ENV_SCHEMA } from '../../../src/relay/ops/env-schema.js'
import { configProblems } from './config-problems.js'

describe('loadConfig', () => {
  it('starts with safe defaults and the built-in sandbox when there is no key', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      port: 8787,
      apiKey: '',
      baseUrl: undefined,
      allowedOrigins: [],
      sqlitePath: 'data/relay.db',
      sqliteSynchronous: 'NORMAL',
      upstreamRatePerSec: 300,
      anonymousEvents: 'hold',
      retryBaseMs: 1000,
      retryMaxMs: 300_000,
      retryForMs: 72 * 3_600_000,
      dedupMs: 7 * 86_400_000,
      sandboxControl: false,
      sandboxFailStatus: undefined,
      sandboxLatencyMs: 0,
      sandboxResetCount: 0,
    })
    expect(config.sdkFile).toMatch(/dist\/esputnik-tracker\.min\.js$/)
  })

  it('forwards to eSputnik once a key is set, or to the base URL given', () => {
    expect(loadConfig({ ESPUTNIK_API_KEY: 'k' }).baseUrl).toBe('https://esputnik.com')
    expect(loadConfig({ ESPUTNIK_API_KEY: 'k', ESPUTNIK_BASE_URL: 'http://127.0.0.1:9000/sandbox/' }).baseUrl).toBe('http://127.0.0.1:9000/sandbox')
  })

  it('reads every documented variable', () => {
    const config = loadConfig({
      PORT: '9000',
      HOST: '127.0.0.1',
      ALLOWED_ORIGINS: 'https://shop.example.com, https://m.shop.example.com/',
      SQLITE_SYNCHRONOUS: 'full',
      ANONYMOUS_EVENTS: 'forward',
      UPSTREAM_RATE_PER_SEC: '350',
      TRUST_PROXY: '2',
      LOG_LEVEL: 'warn',
      SANDBOX_FAIL_STATUS: '500',
      SANDBOX_FAIL_COUNT: '3',
      SANDBOX_LATENCY_MS: '20',
    })
    expect(config).toMatchObject({
      port: 9000,
      host: '127.0.0.1',
      allowedOrigins: ['https://shop.example.com', 'https://m.shop.example.com'],
      sqliteSynchronous: 'FULL',
      anonymousEvents: 'forward',
      upstreamRatePerSec: 350,
      trustProxy: 2,
      logLevel: 'warn',
      sandboxFailStatus: 500,
      sandboxFailCount: 3,
      sandboxLatencyMs: 20,
    })
  })

  it.each<[Record<string, string>, string]>([
    [{ PORT: 'eighty' }, 'PORT: must be an integer from 0 to 65535 (got "eighty")'],
    [{ PORT: '70000' }, 'PORT: must be an integer from 0 to 65535 (got "70000")'],
    [{ ESPUTNIK_BASE_URL: 'ftp://x' }, 'ESPUTNIK_BASE_URL: must be an http(s) URL without query or hash (got "ftp://x")'],
    [{ ALLOWED_ORIGINS: '*' }, 'ALLOWED_ORIGINS: must list exact origins; * is not allowed (got "*")'],
    [{ ALLOWED_ORIGINS: 'https://shop.example.com/path' }, 'ALLOWED_ORIGINS: https://shop.example.com/path must be a bare origin such as https://shop.example.com (got "https://shop.example.com/path")'],
    [{ SQLITE_SYNCHRONOUS: 'OFF' }, 'SQLITE_SYNCHRONOUS: must be one of NORMAL, FULL (got "OFF")'],
    [{ ANONYMOUS_EVENTS: 'drop' }, 'ANONYMOUS_EVENTS: must be one of hold, forward (got "drop")'],
    [{ UPSTREAM_RATE_PER_SEC: '0' }, 'UPSTREAM_RATE_PER_SEC: must be an integer from 1 to 10000 (got "0")'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
    [{ SANDBOX_CONTROL: 'maybe' }, 'SANDBOX_CONTROL: must be true or false (got "maybe")'],
    [{ SANDBOX_FAIL_STATUS: '200' }, 'SANDBOX_FAIL_STATUS: must be an HTTP error status such as 500, 429 or 401 (got "200")'],
    [{ SANDBOX_FAIL_COUNT: '2' }, 'SANDBOX_FAIL_COUNT: needs SANDBOX_FAIL_STATUS to say what to answer'],
  ])('explains a bad value in one line: %o', (env, line) => {
    expect(configProblems(env)).toEqual([line])
  })

  it('reads the identity settings, with a signed identify and occurredAt on by default', () => {
    expect(loadConfig({})).toMatchObject({
      identifySecret: undefined,
      identifyTrust: 'signed',
      serverToken: undefined,
      heldMaxPerVisitor: 1000,
      heldTtlMs: 30 * 86_400_000,
      replayOccurredAt: true,
      subscribeRatePerMinute: 30,
      subscribeRatePerVisitor: 10,
      upstreamSubscribeRatePerSec: 100,
    })
    const config = loadConfig({
      IDENTIFY_SECRET: 's'.repeat(32),
      IDENTIFY_TRUST: 'unsigned',
      SERVER_TOKEN: 't'.repeat(16),
      HELD_EVENTS_MAX_PER_VISITOR: '50',
      REPLAY_OCCURRED_AT: 'false',
      SUBSCRIBE_RATE_PER_MINUTE: '5',
      SUBSCRIBE_RATE_PER_VISITOR: '2',
      UPSTREAM_SUBSCRIBE_RATE_PER_SEC: '200',
    })
    expect(config).toMatchObject({
      identifySecret: 's'.repeat(32),
      identifyTrust: 'unsigned',
      serverToken: 't'.repeat(16),
      heldMaxPerVisitor: 50,
      replayOccurredAt: false,
      subscribeRatePerMinute: 5,
      subscribeRatePerVisitor: 2,
      upstreamSubscribeRatePerSec: 200,
    })
  })

  it.each<[Record<string, string>, string]>([
    [{ IDENTIFY_SECRET: 'short' }, 'IDENTIFY_SECRET: must be at least 16 characters; use e.g. `openssl rand -hex 32`'],
    [{ SERVER_TOKEN: 'short' }, 'SERVER_TOKEN: must be at least 16 characters; use e.g. `openssl rand -hex 32`'],
    [{ IDENTIFY_TRUST: 'maybe' }, 'IDENTIFY_TRUST: must be one of signed, unsigned (got "maybe")'],
    [{ UPSTREAM_SUBSCRIBE_RATE_PER_SEC: '201' }, 'UPSTREAM_SUBSCRIBE_RATE_PER_SEC: must be an integer from 1 to 200 (got "201")'],
  ])('explains a bad identity setting without echoing a secret: %o', (env, line) => {
    expect(configProblems(env)).toEqual([line])
  })

  it('uses PostgreSQL when DATABASE_URL is set, and never echoes that URL (it holds a password) in an error', () => {
    expect(loadConfig({}).databaseUrl).toBeUndefined()
    expect(loadConfig({ DATABASE_URL: 'postgres://relay:pw@db.internal:5432/relay' }).databaseUrl).toBe('postgres://relay:pw@db.internal:5432/relay')
    expect(loadConfig({}).databasePoolSize).toBe(10)
    expect(loadConfig({ DATABASE_POOL_SIZE: '25' }).databasePoolSize).toBe(25)
    expect(configProblems({ DATABASE_POOL_SIZE: '0' })).toHaveLength(1)
    expect(loadConfig({ DATABASE_URL: 'postgresql://db.internal/relay?sslmode=require' }).databaseUrl).toBe('postgresql://db.internal/relay?sslmode=require')
    expect(configProblems({ DATABASE_URL: 'mysql://relay:hunter2@db/relay' })).toEqual(['DATABASE_URL: must start with postgres:// or postgresql://'])
    expect(configProblems({ DATABASE_URL: 'hunter2 at db' })).toEqual(['DATABASE_URL: is not a URL; expected postgres://user:password@host:5432/database'])
  })

  it('reads the claim lease, which must outlast a call to eSputnik', () => {
    expect(loadConfig({}).leaseMs).toBe(60_000)
    expect(loadConfig({ CLAIM_LEASE_MS: '15000' }).leaseMs).toBe(15_000)
    expect(configProblems({ CLAIM_LEASE_MS: '10000' })).toEqual([
      'CLAIM_LEASE_MS: must be longer than UPSTREAM_TIMEOUT_MS, or an event whose call is still in flight is claimed and sent again',
    ])
    expect(configProblems({ CLAIM_LEASE_MS: '999' })).toEqual(['CLAIM_LEASE_MS: must be an integer from 1000 to 3600000 (got "999")'])
  })

  it('reports every bad variable at once', () => {
    expect(configProblems({ PORT: 'x', LOG_LEVEL: 'y', ANONYMOUS_EVENTS: 'z' })).toHaveLength(3)
  })

  it('never echoes the API key in an error', () => {
    const schema = ENV_SCHEMA as unknown as Record<string, { parse: (raw: string) => unknown }>
    const original = schema.ESPUTNIK_API_KEY!.parse
    schema.ESPUTNIK_API_KEY!.parse = () => {
      throw new Error('is not valid')
    }
    try {
      expect(configProblems({ ESPUTNIK_API_KEY: 'super-secret' })).toEqual(['ESPUTNIK_API_KEY: is not valid'])
    } finally {
      schema.ESPUTNIK_API_KEY!.parse = original
    }
  })

  it('documents every variable in the README table', () => {
    const table = describeEnv()
    for (const name of Object.keys(ENV_SCHEMA)) expect(table).toContain(`| \`${name}\` |`)
    // The README shows the table the schema generates (`esputnik-relay env`), not a copy that drifts.
    expect(readFileSync('README.md', 'utf8')).toContain(table.trim())
  })

  it('makes the relay exit non-zero with one line per bad value', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/relay/main.ts'], {
      env: { ...process.env, PORT: 'x', ANONYMOUS_EVENTS: 'sometimes' },
      encoding: 'utf8',
      timeout: 20_000,
    })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('esputnik-relay: invalid configuration:')
    expect(run.stderr).toContain('  PORT: must be an integer from 0 to 65535 (got "x")')
    expect(run.stderr).toContain('  ANONYMOUS_EVENTS: must be one of hold, forward (got "sometimes")')
  })
})
