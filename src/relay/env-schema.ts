/**
 * The relay's environment variables: one entry each with its parser, default
 * and the line the README table shows (`esputnik-relay env` prints it).
 */

interface Spec<T> {
  parse: (raw: string) => T
  default: T
  doc: string
  /** Its value is never echoed in an error. */
  secret?: boolean
}

const spec = <T>(parse: (raw: string) => T, fallback: T, doc: string, secret = false): Spec<T> => ({
  parse,
  default: fallback,
  doc,
  secret,
})

const int = (min: number, max: number) => (raw: string) => {
  const n = Number(raw)
  if (!/^-?\d+$/.test(raw) || n < min || n > max) throw new Error(`must be an integer from ${min} to ${max}`)
  return n
}

const oneOf =
  <T extends string>(...values: T[]) =>
  (raw: string): T => {
    const hit = values.find((v) => v.toLowerCase() == raw.toLowerCase())
    if (!hit) throw new Error(`must be one of ${values.join(', ')}`)
    return hit
  }

const flag = (raw: string) => {
  if (/^(1|true|yes|on)$/i.test(raw)) return true
  if (/^(0|false|no|off)$/i.test(raw)) return false
  throw new Error('must be true or false')
}

function origin(raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new Error(`${raw} is not a URL`)
  }
  if (!/^https?:$/.test(url.protocol)) throw new Error(`${raw} must be http or https`)
  if (url.origin != raw.replace(/\/$/, '')) throw new Error(`${raw} must be a bare origin such as https://shop.example.com`)
  return url.origin
}

/** Comma-separated exact origins; `*` is refused on purpose, the relay never echoes any Origin. */
const origins = (raw: string) => {
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean)
  if (list.includes('*')) throw new Error('must list exact origins; * is not allowed')
  return list.map(origin)
}

/** An origin, optionally with a path prefix (another relay's `/sandbox`); no query or hash. */
function baseUrl(raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new Error(`${raw} is not a URL`)
  }
  if (!/^https?:$/.test(url.protocol) || url.search || url.hash) throw new Error('must be an http(s) URL without query or hash')
  return url.origin + url.pathname.replace(/\/+$/, '')
}

function trustProxy(raw: string): boolean | number | string[] {
  if (/^(true|false)$/i.test(raw)) return raw.toLowerCase() == 'true'
  if (/^\d+$/.test(raw)) return Number(raw)
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean)
  if (!list.every((s) => /^[\d.:a-f/]+$/i.test(s))) throw new Error('must be true, false, a hop count or a list of IPs/CIDRs')
  return list
}

/** A libpq-style URL; its password stays out of every message (the spec is secret). */
function postgresUrl(raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new Error('is not a URL; expected postgres://user:password@host:5432/database')
  }
  if (!/^postgres(ql)?:$/.test(url.protocol)) throw new Error('must start with postgres:// or postgresql://')
  return raw
}

/** RFC 6265's cookie-name token, so it cannot smuggle attributes into Set-Cookie. */
function cookieName(raw: string): string {
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(raw)) throw new Error('must be a cookie name such as sc (letters, digits and !#$%&\'*+-.^_`|~)')
  return raw
}

const status = (raw: string) => {
  const n = int(100, 599)(raw)
  if (n < 400) throw new Error('must be an HTTP error status such as 500, 429 or 401')
  return n
}

const text = (raw: string) => raw

/** A shared secret: long enough that guessing it is hopeless. */
const secret = (raw: string) => {
  if (raw.length < 16) throw new Error('must be at least 16 characters; use e.g. `openssl rand -hex 32`')
  return raw
}

export const ENV_SCHEMA = {
  PORT: spec(int(0, 65535), 8787, 'Port to listen on.'),
  HOST: spec(text, '0.0.0.0', 'Interface to listen on.'),
  ESPUTNIK_API_KEY: spec(text, '', 'eSputnik API key, sent as the Basic auth password. Empty: events go to the built-in sandbox.', true),
  ESPUTNIK_BASE_URL: spec<string | undefined>(
    baseUrl,
    undefined,
    'Origin that `/api/v2/event` and `/api/v1/contact/subscribe` are appended to. Default `https://esputnik.com` with a key, the built-in `/sandbox` without one.',
  ),
  ALLOWED_ORIGINS: spec(origins, [] as string[], 'Comma-separated site origins that may call `/v1/e`, `/v1/subscribe` and `/v1/identify` with CORS (exact match, no `*`).'),
  TRUST_PROXY: spec(trustProxy, false as boolean | number | string[], 'Behind a proxy: `true`, a hop count or proxy IPs, so per-IP limits see the visitor.'),
  INGEST_RATE_PER_MINUTE: spec(int(1, 1_000_000), 1200, 'Batches (and, separately, identify calls) one IP may post per minute before 429.'),
  DATABASE_URL: spec<string | undefined>(
    postgresUrl,
    undefined,
    'PostgreSQL URL (`postgres://user:password@host:5432/relay`). Set: the queue lives there and several relay nodes may share it; unset: SQLite at `SQLITE_PATH`.',
    true,
  ),
  DATABASE_POOL_SIZE: spec(int(1, 1000), 10, 'Most PostgreSQL connections one relay process opens; keep nodes × this under the server\'s `max_connections`.'),
  SQLITE_PATH: spec(text, 'data/relay.db', 'SQLite database file (created with its folder), when `DATABASE_URL` is unset.'),
  SQLITE_SYNCHRONOUS: spec(oneOf('NORMAL', 'FULL'), 'NORMAL' as 'NORMAL' | 'FULL', '`NORMAL` (WAL, survives a crash of the process) or `FULL` (also survives power loss).'),
  ANONYMOUS_EVENTS: spec(oneOf('hold', 'forward'), 'hold' as 'hold' | 'forward', '`hold` events of unknown visitors until they are linked to a contact, or `forward` them at once with the visitor id as keyValue.'),
  UPSTREAM_RATE_PER_SEC: spec(int(1, 10_000), 300, 'Most Generate event calls in any 1 s window, per relay process (eSputnik allows 350 per account: divide it among nodes sharing `DATABASE_URL`).'),
  UPSTREAM_CONCURRENCY: spec(int(1, 256), 16, 'Most calls to eSputnik in flight at once, per relay process.'),
  UPSTREAM_TIMEOUT_MS: spec(int(100, 120_000), 10_000, 'Timeout of one call to eSputnik.'),
  CLAIM_LEASE_MS: spec(
    int(1000, 3_600_000),
    60_000,
    'How long an event being forwarded is hidden from other claims; must exceed `UPSTREAM_TIMEOUT_MS`. With SQLite a restarted relay takes over a killed one\'s events at once, whatever this is; with PostgreSQL any node takes them over when their lease ends.',
  ),
  RETRY_BASE_MS: spec(int(1, 3_600_000), 1000, 'First retry delay (full-jitter exponential backoff).'),
  RETRY_MAX_MS: spec(int(1, 86_400_000), 300_000, 'Longest retry delay.'),
  RETRY_FOR_HOURS: spec(int(1, 24 * 30), 72, 'Retryable failures become dead letters after this long.'),
  AUTH_PAUSE_MS: spec(int(1, 86_400_000), 300_000, 'After a 401/403 forwarding pauses this long, then tries again.'),
  DEDUP_DAYS: spec(int(1, 365), 7, 'A resent event id within this window is accepted but forwarded once.'),
  HELD_EVENTS_TTL_DAYS: spec(int(1, 365), 30, 'Held events are replayed and kept only this long; those of never-linked visitors are then purged.'),
  HELD_EVENTS_MAX_PER_VISITOR: spec(int(1, 100_000), 1000, 'Most events held per visitor; beyond it the oldest are dropped (counted in `events_held_dropped_total`).'),
  REPLAY_OCCURRED_AT: spec(flag, true, 'Replayed history carries an `occurredAt` param (ISO 8601 of when it happened).'),
  IDENTIFY_SECRET: spec<string | undefined>(secret, undefined, 'Key of the HMAC-SHA256 a browser identify must carry, computed by the site\'s backend. Unset: browser identify is refused (401).', true),
  IDENTIFY_TRUST: spec(oneOf('signed', 'unsigned'), 'signed' as 'signed' | 'unsigned', '`unsigned` accepts browser identify without a signature: development only, anyone could then join their history to any contact (a warning is logged at boot).'),
  SERVER_TOKEN: spec<string | undefined>(secret, undefined, 'Bearer token of `POST /v1/server/identify`, the site\'s backend call. Unset: that route does not exist.', true),
  VISITOR_COOKIE: spec<string | undefined>(
    cookieName,
    undefined,
    'The SDK\'s `cookieName` (`sc`) to re-issue with each batch, when the relay answers on the shop\'s own origin: the cookie then outlives Safari\'s 7-day cap on script cookies. Unset: off.',
  ),
  VISITOR_COOKIE_DOMAIN: spec<string | undefined>(text, undefined, 'The SDK\'s `cookieDomain`, if it sets one: the re-issued cookie must be the same cookie. Unset: host-only, as the SDK.'),
  SUBSCRIBE_RATE_PER_MINUTE: spec(int(1, 1_000_000), 30, 'Subscribe calls one IP may post per minute before 429 (identify, as cheap as a beacon, shares `INGEST_RATE_PER_MINUTE`).'),
  SUBSCRIBE_RATE_PER_VISITOR: spec(int(1, 1_000_000), 10, 'Subscribe calls one visitor id may post per minute before 429 (identify: 60).'),
  UPSTREAM_SUBSCRIBE_RATE_PER_SEC: spec(int(1, 200), 100, 'Most Subscribe contact calls in any 1 s window, per relay process (eSputnik allows 200), paced apart from events.'),
  LOG_LEVEL: spec(oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'), 'info' as 'info', 'pino log level. Emails and phones are masked.'),
  SDK_FILE: spec<string | undefined>(text, undefined, 'File served at `/sdk.js`. Default `dist/esputnik-tracker.min.js` of this package.'),
  SANDBOX_CONTROL: spec(flag, false, 'Enable `POST /sandbox/faults` and `DELETE /sandbox/requests`, and mount the sandbox even with a key (tests only).'),
  SANDBOX_FAIL_STATUS: spec<number | undefined>(status, undefined, 'Sandbox answers the next `SANDBOX_FAIL_COUNT` calls with this status.'),
  SANDBOX_FAIL_COUNT: spec(int(0, 1_000_000), 1, 'How many calls get `SANDBOX_FAIL_STATUS`.'),
  SANDBOX_LATENCY_MS: spec(int(0, 60_000), 0, 'Delay added to every sandbox answer.'),
  SANDBOX_RESET_COUNT: spec(int(0, 1_000_000), 0, 'The next N sandbox calls get their connection reset.'),
}

export type EnvValues = { [K in keyof typeof ENV_SCHEMA]: (typeof ENV_SCHEMA)[K]['default'] }

/** The README's table of environment variables. */
export function describeEnv(): string {
  const show = (v: unknown) => {
    const text = Array.isArray(v) ? v.join(',') : v === undefined ? '' : String(v)
    return text ? `\`${text}\`` : ''
  }
  const rows = Object.entries(ENV_SCHEMA).map(([name, s]) => `| \`${name}\` | ${show(s.default)} | ${s.doc} |`)
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n')
}
