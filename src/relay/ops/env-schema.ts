import { fileURLToPath } from 'node:url'
import { baseUrl, cookieName, flag, int, oneOf, origins, postgresUrl, secret, status, text, trustProxy } from './env-parsers.js'
import { customEventTypes } from './event-settings.js'
import { appUuid, botUsername, webhookSecret, welcomeText } from './telegram-settings.js'

/**
 * The relay's environment variables, each declared once: the Config field it
 * fills, its parser, its default, and the line the README table shows
 * (`esputnik-relay env` prints it). The Config type is derived from this
 * table (config.ts), so a new setting is one entry here.
 */

interface Setting<K extends string, T, C> {
  /** The Config field it fills. */
  key: K
  parse: (raw: string) => T
  default: T
  doc: string
  /** Its value is never echoed in an error. */
  secret: boolean
  /** From the variable's value (or default) to the Config field's, e.g. hours to milliseconds. */
  toConfig: (value: T) => C
}

interface SettingOptions<T, C> {
  secret?: boolean
  toConfig?: (value: T) => C
}

function setting<K extends string, T, C = T>(
  key: K,
  parse: (raw: string) => T,
  fallback: T,
  doc: string,
  options: SettingOptions<T, C> = {},
): Setting<K, T, C> {
  return { key, parse, default: fallback, doc, secret: options.secret ?? false, toConfig: options.toConfig ?? ((v) => v as unknown as C) }
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

/** The built `dist/esputnik-tracker.min.js`, three folders up from both src/relay/ops/ and dist/relay/ops/. */
export const DEFAULT_SDK_FILE = fileURLToPath(new URL('../../../dist/esputnik-tracker.min.js', import.meta.url))

const HOUR = 3_600_000
const DAY = 24 * HOUR
const hours = (n: number) => n * HOUR
const days = (n: number) => n * DAY

export const ENV_SCHEMA = {
  PORT: setting('port', int(0, 65535), 8787, 'Port to listen on.'),
  HOST: setting('host', text, '0.0.0.0', 'Interface to listen on.'),
  ESPUTNIK_API_KEY: setting('apiKey', text, '', 'eSputnik API key, sent as the Basic auth password. Empty: events go to the built-in sandbox.', { secret: true }),
  ESPUTNIK_BASE_URL: setting(
    'baseUrl',
    baseUrl,
    undefined as string | undefined,
    'Origin that `/api/v2/event` and `/api/v1/contact/subscribe` are appended to. Default `https://esputnik.com` with a key, the built-in `/sandbox` without one.',
  ),
  ALLOWED_ORIGINS: setting('allowedOrigins', origins, [] as string[], 'Comma-separated site origins that may call `/v1/e`, `/v1/subscribe` and `/v1/identify` with CORS (exact match, no `*`).'),
  TRUST_PROXY: setting('trustProxy', trustProxy, false as boolean | number | string[], 'Behind a proxy: `true`, a hop count or proxy IPs, so per-IP limits see the visitor.'),
  INGEST_RATE_PER_MINUTE: setting('ingestRatePerMinute', int(1, 1_000_000), 1200, 'Batches (and, separately, identify calls) one IP may post per minute before 429.'),
  DATABASE_URL: setting(
    'databaseUrl',
    postgresUrl,
    undefined as string | undefined,
    'PostgreSQL URL (`postgres://user:password@host:5432/relay`). Set: the queue lives there and several relay nodes may share it; unset: SQLite at `SQLITE_PATH`.',
    { secret: true },
  ),
  DATABASE_POOL_SIZE: setting('databasePoolSize', int(1, 1000), 10, 'Most PostgreSQL connections one relay process opens; keep nodes × this under the server\'s `max_connections`.'),
  SQLITE_PATH: setting('sqlitePath', text, 'data/relay.db', 'SQLite database file (created with its folder), when `DATABASE_URL` is unset.'),
  SQLITE_SYNCHRONOUS: setting('sqliteSynchronous', oneOf('NORMAL', 'FULL'), 'NORMAL' as 'NORMAL' | 'FULL', '`NORMAL` (WAL, survives a crash of the process) or `FULL` (also survives power loss).'),
  ANONYMOUS_EVENTS: setting(
    'anonymousEvents',
    oneOf('hold', 'forward'),
    'hold' as 'hold' | 'forward',
    '`hold` events of unknown visitors until they are linked to a contact, or `forward` them at once with the visitor id as keyValue.',
  ),
  CRAWLER_FILTER: setting(
    'crawlerFilter',
    flag,
    true,
    'Beacons and subscribes from crawlers (isbot\'s list, less generic HTTP clients and headless browsers) are answered as usual and stored nowhere, counted in `crawler_requests_total`. `off` keeps them.',
  ),
  UPSTREAM_RATE_PER_SEC: setting(
    'upstreamRatePerSec',
    int(1, 10_000),
    300,
    'Most Generate event calls in any 1 s window, for the account: every relay node on one `DATABASE_URL` together (eSputnik allows 350 per account).',
  ),
  UPSTREAM_CONCURRENCY: setting('upstreamConcurrency', int(1, 256), 16, 'Most calls to eSputnik in flight at once, per relay process.'),
  UPSTREAM_TIMEOUT_MS: setting('upstreamTimeoutMs', int(100, 120_000), 10_000, 'Timeout of one call to eSputnik.'),
  CLAIM_LEASE_MS: setting(
    'leaseMs',
    int(1000, 3_600_000),
    60_000,
    'How long an event being forwarded is hidden from other claims; must exceed `UPSTREAM_TIMEOUT_MS`. With SQLite a restarted relay takes over a killed one\'s events at once, whatever this is; with PostgreSQL any node takes them over when their lease ends.',
  ),
  RETRY_BASE_MS: setting('retryBaseMs', int(1, 3_600_000), 1000, 'First retry delay (full-jitter exponential backoff).'),
  RETRY_MAX_MS: setting('retryMaxMs', int(1, 86_400_000), 300_000, 'Longest retry delay.'),
  RETRY_FOR_HOURS: setting('retryForMs', int(1, 24 * 30), 72, 'Retryable failures become dead letters after this long.', { toConfig: hours }),
  AUTH_PAUSE_MS: setting(
    'authPauseMs',
    int(1, 86_400_000),
    300_000,
    'After a 401/403 the operation that got it (Generate event, Subscribe contact) pauses this long, then tries again; the others go on.',
  ),
  DEDUP_DAYS: setting('dedupMs', int(1, 365), 7, 'A resent event id within this window is accepted but forwarded once.', { toConfig: days }),
  HELD_EVENTS_TTL_DAYS: setting(
    'heldTtlMs',
    int(1, 365),
    30,
    'Held events are replayed and kept only this long; those of never-linked visitors are then purged.',
    { toConfig: days },
  ),
  HELD_EVENTS_MAX_PER_VISITOR: setting(
    'heldMaxPerVisitor',
    int(1, 100_000),
    1000,
    'Most events held per visitor; beyond it the oldest are dropped (counted in `events_held_dropped_total`).',
  ),
  REPLAY_OCCURRED_AT: setting('replayOccurredAt', flag, true, 'Replayed history carries an `occurredAt` param (ISO 8601 of when it happened).'),
  REPLAY_MODE: setting(
    'replayMode',
    oneOf('auto', 'live', 'past'),
    'auto' as 'auto' | 'live' | 'past',
    'How a linked visitor\'s held history goes: `auto` what is older than `REPLAY_LIVE_MINUTES` as Past events (no workflows launched, 500 a call), the rest after it through Generate event; `past` all as Past events; `live` all through Generate event (for an account without event segmentation).',
  ),
  REPLAY_LIVE_MINUTES: setting(
    'replayLiveMs',
    int(0, 7 * 24 * 60),
    30,
    'With `REPLAY_MODE=auto`, held events younger than this when the visitor is linked go through Generate event, so the workflows of the current visit (an abandoned cart) still start.',
    { toConfig: (minutes) => minutes * 60_000 },
  ),
  UPSTREAM_PAST_RATE_PER_SEC: setting(
    'upstreamPastRatePerSec',
    int(1, 100),
    50,
    'Most Past events calls in any 1 s window, for the account: every relay node on one `DATABASE_URL` together (eSputnik allows 100 per account), paced apart from the others.',
  ),
  CUSTOM_EVENT_TYPES: setting(
    'customEventTypes',
    customEventTypes,
    [] as readonly string[] | '*',
    'Custom event types (`track`) the browser may send, comma-separated, or `*` for any; others are refused with a reason. The backend route `/v1/server/events` takes any valid type.',
  ),
  IDENTIFY_SECRET: setting(
    'identifySecret',
    secret,
    undefined as string | undefined,
    'Key of the HMAC-SHA256 a browser identify must carry, computed by the site\'s backend. Unset: browser identify is refused (401).',
    { secret: true },
  ),
  IDENTIFY_TRUST: setting(
    'identifyTrust',
    oneOf('signed', 'unsigned'),
    'signed' as 'signed' | 'unsigned',
    '`unsigned` accepts browser identify without a signature: development only, anyone could then join their history to any contact (a warning is logged at boot).',
  ),
  SERVER_TOKEN: setting(
    'serverToken',
    secret,
    undefined as string | undefined,
    'Bearer token of the site backend\'s calls, `POST /v1/server/…` (identify, erase and the others). Unset: those routes do not exist.',
    { secret: true },
  ),
  VISITOR_COOKIE: setting(
    'visitorCookie',
    cookieName,
    undefined as string | undefined,
    'The SDK\'s `cookieName` (`sc`) to re-issue with each batch, when the relay answers on the shop\'s own origin: the cookie then outlives Safari\'s 7-day cap on script cookies. Unset: off.',
  ),
  VISITOR_COOKIE_DOMAIN: setting(
    'visitorCookieDomain',
    text,
    undefined as string | undefined,
    'The SDK\'s `cookieDomain`, if it sets one: the re-issued cookie must be the same cookie. Unset: host-only, as the SDK.',
  ),
  SUBSCRIBE_RATE_PER_MINUTE: setting(
    'subscribeRatePerMinute',
    int(1, 1_000_000),
    30,
    'Subscribe calls one IP may post per minute before 429 (identify, as cheap as a beacon, shares `INGEST_RATE_PER_MINUTE`).',
  ),
  SUBSCRIBE_RATE_PER_VISITOR: setting('subscribeRatePerVisitor', int(1, 1_000_000), 10, 'Subscribe calls one visitor id may post per minute before 429 (identify: 60).'),
  UPSTREAM_SUBSCRIBE_RATE_PER_SEC: setting(
    'upstreamSubscribeRatePerSec',
    int(1, 200),
    100,
    'Most Subscribe contact calls in any 1 s window, for the account: every relay node on one `DATABASE_URL` together (eSputnik allows 200), paced apart from events.',
  ),
  TELEGRAM_APP_UUID: setting(
    'telegramAppUuid',
    appUuid,
    undefined as string | undefined,
    'The app id eSputnik shows for the shop\'s Telegram bot under My bots. Alone it enables `POST /v1/server/telegram-tokens` (with `SERVER_TOKEN`); with the next two, the bot\'s link and webhook.',
  ),
  TELEGRAM_BOT_USERNAME: setting('telegramBotUsername', botUsername, undefined as string | undefined, 'The bot\'s username from BotFather (`KettleAndLeafBot`): links open `https://t.me/<it>?start=<code>`.'),
  TELEGRAM_WEBHOOK_SECRET: setting(
    'telegramWebhookSecret',
    webhookSecret,
    undefined as string | undefined,
    'The `secret_token` given to setWebhook (16 to 256 of `A-Za-z0-9_-`): `POST /v1/telegram/webhook` answers 401 to a request without it.',
    { secret: true },
  ),
  TELEGRAM_WELCOME_TEXT: setting(
    'telegramWelcomeText',
    welcomeText,
    undefined as string | undefined,
    'The bot\'s reply when a chat is linked; `{contact}` becomes the contact masked (`a***@example.com`). Unset: no reply.',
  ),
  TELEGRAM_LINK_TTL_MINUTES: setting('telegramLinkTtlMs', int(1, 7 * 24 * 60), 60, 'A Telegram link\'s one-time code expires after this long.', {
    toConfig: (minutes) => minutes * 60_000,
  }),
  TELEGRAM_BROWSER_LINKS: setting(
    'telegramBrowserLinks',
    oneOf('on', 'off'),
    'on' as 'on' | 'off',
    '`off` removes `POST /v1/telegram/link` (the SDK\'s `telegramLink()`), for shops that mint links only from their backend (`/v1/server/telegram-link`).',
    { toConfig: (value) => value == 'on' },
  ),
  UPSTREAM_TOKENS_RATE_PER_SEC: setting(
    'upstreamTokensRatePerSec',
    int(1, 200),
    20,
    'Most Add application tokens calls in any 1 s window, for the account: every relay node on one `DATABASE_URL` together; a share of the 200 eSputnik allows every method but events.',
  ),
  UPSTREAM_ORDERS_RATE_PER_SEC: setting(
    'upstreamOrdersRatePerSec',
    int(1, 200),
    20,
    'Most Add orders calls (up to 1000 orders each) in any 1 s window, for the account: every relay node on one `DATABASE_URL` together; a share of the 200 eSputnik allows every method but events. An order\'s status event spends `UPSTREAM_RATE_PER_SEC`.',
  ),
  LOG_LEVEL: setting('logLevel', oneOf(...LOG_LEVELS), 'info' as LogLevel, 'pino log level. Emails and phones are masked.'),
  UNKNOWN_SETTINGS: setting(
    'unknownSettings',
    oneOf('error', 'warn'),
    'error' as 'error' | 'warn',
    'A name in the environment that is no setting but looks like one (two edits or fewer from a setting of 8+ characters, `DATABSE_URL`; or starting as only the relay\'s settings do, `ESPUTNIK_`, `SANDBOX_`…): `error` refuses to start, naming the setting it resembles; `warn` logs that and starts. The system\'s names (`HOME`, `PATH`, `NODE_*`, `npm_*`, `LC_*`…) are never judged.',
  ),
  SDK_FILE: setting('sdkFile', text, undefined as string | undefined, 'File served at `/sdk.js`. Default `dist/esputnik-tracker.min.js` of this package.', {
    toConfig: (file) => file ?? DEFAULT_SDK_FILE,
  }),
  SANDBOX_CONTROL: setting('sandboxControl', flag, false, 'Enable `POST /sandbox/faults` and `DELETE /sandbox/requests`, and mount the sandbox even with a key (tests only).'),
  SANDBOX_FAIL_STATUS: setting('sandboxFailStatus', status, undefined as number | undefined, 'Sandbox answers the next `SANDBOX_FAIL_COUNT` calls with this status.'),
  SANDBOX_FAIL_COUNT: setting('sandboxFailCount', int(0, 1_000_000), 1, 'How many calls get `SANDBOX_FAIL_STATUS`.'),
  SANDBOX_LATENCY_MS: setting('sandboxLatencyMs', int(0, 60_000), 0, 'Delay added to every sandbox answer.'),
  SANDBOX_RESET_COUNT: setting('sandboxResetCount', int(0, 1_000_000), 0, 'The next N sandbox calls get their connection reset.'),
}

type Schema = typeof ENV_SCHEMA

/** Every environment variable's parsed value, by its name. */
export type EnvValues = { [N in keyof Schema]: Schema[N]['default'] }

/** The Config fields the environment fills, by their keys. */
export type EnvConfig = { [N in keyof Schema as Schema[N]['key']]: ReturnType<Schema[N]['toConfig']> }

/** The README's table of environment variables. */
export function describeEnv(): string {
  const show = (v: unknown) => {
    const text = Array.isArray(v) ? v.join(',') : v === undefined ? '' : String(v)
    return text ? `\`${text}\`` : ''
  }
  const rows = Object.entries(ENV_SCHEMA).map(([name, s]) => `| \`${name}\` | ${show(s.default)} | ${s.doc} |`)
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n')
}
