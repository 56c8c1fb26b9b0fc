import { fileURLToPath } from 'node:url'
import { ConfigError } from './errors.js'
import { ENV_SCHEMA, type EnvValues } from './env-schema.js'
import type { VisitorCookieOptions } from './ingest/visitor-cookie.js'

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

export interface SandboxFaults {
  /** The next `count` upstream calls answer this status. */
  status?: number
  count: number
  /** Added before every sandbox answer. */
  latencyMs: number
  /** The next `resets` calls get their connection reset. */
  resets: number
}

export interface Config {
  port: number
  host: string
  /** Empty means: forward to the built-in sandbox. */
  apiKey: string
  /** Origin that `/api/v2/event` is appended to; undefined means the built-in sandbox. */
  baseUrl: string | undefined
  allowedOrigins: string[]
  trustProxy: boolean | number | string[]
  ingestRatePerMinute: number
  /** Set: the PostgreSQL store, shared by every node given the same URL; unset: SQLite at `sqlitePath`. */
  databaseUrl: string | undefined
  databasePoolSize: number
  sqlitePath: string
  sqliteSynchronous: 'NORMAL' | 'FULL'
  anonymousEvents: 'hold' | 'forward'
  upstreamRatePerSec: number
  upstreamConcurrency: number
  upstreamTimeoutMs: number
  retryBaseMs: number
  retryMaxMs: number
  /** Retryable failures are given up (dead-lettered) this long after the event was queued. */
  retryForMs: number
  authPauseMs: number
  dedupMs: number
  heldTtlMs: number
  heldMaxPerVisitor: number
  replayOccurredAt: boolean
  /** Undefined: browser identify is refused (unless identifyTrust is unsigned). */
  identifySecret: string | undefined
  identifyTrust: 'signed' | 'unsigned'
  /** Undefined: no `/v1/server/identify` route. */
  serverToken: string | undefined
  /** Undefined: the relay sets no cookie. */
  visitorCookie: VisitorCookieOptions | undefined
  subscribeRatePerMinute: number
  subscribeRatePerVisitor: number
  upstreamSubscribeRatePerSec: number
  logLevel: LogLevel
  sdkFile: string
  sandboxControl: boolean
  sandboxFaults: SandboxFaults
  /** Claimed jobs are hidden from other claims this long (or until settled). */
  leaseMs: number
  // Tuning that has no environment variable; tests shorten these.
  idlePollMs: number
  purgeEveryMs: number
  purgeChunk: number
  claimBatch: number
  /** Pacing is computed over 1 s plus this guard, so receive-side jitter cannot push a 1 s window over the cap. */
  rateGuardMs: number
  /** No upstream call starts before this long after the forwarder is built, so a restarted relay cannot add to the last second of the one it replaced. */
  forwardStartDelayMs: number
  /** Start forwarding and purging when the server starts listening. */
  autoStart: boolean
}

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** The built `dist/esputnik-tracker.min.js`, three folders up from both src/relay/ and dist/relay/. */
export const DEFAULT_SDK_FILE = fileURLToPath(new URL('../../dist/esputnik-tracker.min.js', import.meta.url))

function fromValues(v: EnvValues): Config {
  const apiKey = v.ESPUTNIK_API_KEY
  return {
    port: v.PORT,
    host: v.HOST,
    apiKey,
    // No key: point at the sandbox unless the user named a base URL on purpose.
    baseUrl: v.ESPUTNIK_BASE_URL ?? (apiKey ? 'https://esputnik.com' : undefined),
    allowedOrigins: v.ALLOWED_ORIGINS,
    trustProxy: v.TRUST_PROXY,
    ingestRatePerMinute: v.INGEST_RATE_PER_MINUTE,
    databaseUrl: v.DATABASE_URL,
    databasePoolSize: v.DATABASE_POOL_SIZE,
    sqlitePath: v.SQLITE_PATH,
    sqliteSynchronous: v.SQLITE_SYNCHRONOUS,
    anonymousEvents: v.ANONYMOUS_EVENTS,
    upstreamRatePerSec: v.UPSTREAM_RATE_PER_SEC,
    upstreamConcurrency: v.UPSTREAM_CONCURRENCY,
    upstreamTimeoutMs: v.UPSTREAM_TIMEOUT_MS,
    retryBaseMs: v.RETRY_BASE_MS,
    retryMaxMs: v.RETRY_MAX_MS,
    retryForMs: v.RETRY_FOR_HOURS * HOUR,
    authPauseMs: v.AUTH_PAUSE_MS,
    dedupMs: v.DEDUP_DAYS * DAY,
    heldTtlMs: v.HELD_EVENTS_TTL_DAYS * DAY,
    heldMaxPerVisitor: v.HELD_EVENTS_MAX_PER_VISITOR,
    replayOccurredAt: v.REPLAY_OCCURRED_AT,
    identifySecret: v.IDENTIFY_SECRET,
    identifyTrust: v.IDENTIFY_TRUST,
    serverToken: v.SERVER_TOKEN,
    visitorCookie: v.VISITOR_COOKIE ? { name: v.VISITOR_COOKIE, domain: v.VISITOR_COOKIE_DOMAIN } : undefined,
    subscribeRatePerMinute: v.SUBSCRIBE_RATE_PER_MINUTE,
    subscribeRatePerVisitor: v.SUBSCRIBE_RATE_PER_VISITOR,
    upstreamSubscribeRatePerSec: v.UPSTREAM_SUBSCRIBE_RATE_PER_SEC,
    logLevel: v.LOG_LEVEL,
    sdkFile: v.SDK_FILE ?? DEFAULT_SDK_FILE,
    sandboxControl: v.SANDBOX_CONTROL,
    sandboxFaults: {
      status: v.SANDBOX_FAIL_STATUS,
      count: v.SANDBOX_FAIL_STATUS === undefined ? 0 : v.SANDBOX_FAIL_COUNT,
      latencyMs: v.SANDBOX_LATENCY_MS,
      resets: v.SANDBOX_RESET_COUNT,
    },
    leaseMs: v.CLAIM_LEASE_MS,
    idlePollMs: 1_000,
    purgeEveryMs: 60_000,
    purgeChunk: 500,
    claimBatch: 100,
    rateGuardMs: 20,
    forwardStartDelayMs: 1_020,
    autoStart: true,
  }
}

/**
 * Reads the relay's settings from `env`. Every bad value is reported, one line
 * each, in a single ConfigError, so a deploy is fixed in one go rather than one
 * variable per restart.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const problems: string[] = []
  const values: Record<string, unknown> = {}
  for (const [name, spec] of Object.entries(ENV_SCHEMA)) {
    const raw = env[name]?.trim()
    if (raw === undefined || raw === '') {
      values[name] = spec.default
      continue
    }
    try {
      values[name] = spec.parse(raw)
    } catch (error) {
      // Never echo a secret back into a log.
      const shown = spec.secret ? '' : ` (got ${JSON.stringify(raw.slice(0, 80))})`
      problems.push(`${name}: ${(error as Error).message}${shown}`)
    }
  }
  const v = values as unknown as EnvValues
  if (problems.length == 0 && v.SANDBOX_FAIL_STATUS === undefined && env.SANDBOX_FAIL_COUNT?.trim()) {
    problems.push('SANDBOX_FAIL_COUNT: needs SANDBOX_FAIL_STATUS to say what to answer')
  }
  if (problems.length == 0 && v.CLAIM_LEASE_MS <= v.UPSTREAM_TIMEOUT_MS) {
    problems.push('CLAIM_LEASE_MS: must be longer than UPSTREAM_TIMEOUT_MS, or an event whose call is still in flight is claimed and sent again')
  }
  if (problems.length) throw new ConfigError(problems)
  return fromValues(v)
}
