import { explainLookalike, findLookalikeNames } from './env-names.js'
import { ENV_SCHEMA, type EnvConfig, type EnvValues } from './env-schema.js'
import { telegramProblems } from './telegram-settings.js'

export { DEFAULT_SDK_FILE, type LogLevel } from './env-schema.js'

/** Bad environment: one line per variable. */
export class ConfigError extends Error {
  override name = 'ConfigError'
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`)
  }
}

/** Tuning that has no environment variable; tests shorten these. */
export const TUNING = {
  /** How long the forwarder sleeps when the queue is empty (new work wakes it sooner). */
  idlePollMs: 1_000,
  purgeEveryMs: 60_000,
  /** Most rows one purge deletes, so it never holds the write lock for long. */
  purgeChunk: 500,
  /** Most jobs one claim takes. */
  claimBatch: 100,
  /** Pacing is computed over 1 s plus this guard, so receive-side jitter cannot push a 1 s window over the cap. */
  rateGuardMs: 20,
  /** No upstream call starts before this long after the forwarder is built, so a restarted relay cannot add to the last second of the one it replaced. */
  forwardStartDelayMs: 1_020,
  /** Start forwarding and purging when the server starts listening. */
  autoStart: true,
}

/**
 * The relay's settings: a field per environment variable (env-schema.ts),
 * plus TUNING. Each part takes the `Pick` of it that it reads.
 */
export type Config = EnvConfig & typeof TUNING

/** Where a key sends events when ESPUTNIK_BASE_URL does not say. */
export const ESPUTNIK_ORIGIN = 'https://esputnik.com'

export interface LoadConfigOptions {
  /** Gets each line that UNKNOWN_SETTINGS=warn turns from an error into a warning. */
  onWarning?: (line: string) => void
}

/**
 * Reads the relay's settings from `env`. Every bad value is reported, one line
 * each, in a single ConfigError, so a deploy is fixed in one go rather than one
 * variable per restart. So is a name that looks like a setting but is none
 * (env-names.ts), unless UNKNOWN_SETTINGS=warn, and a production environment
 * (NODE_ENV=production) without an API key.
 */
export function loadConfig(env: Record<string, string | undefined>, options: LoadConfigOptions = {}): Config {
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
  problems.push(...telegramProblems(env))
  const lookalikes = findLookalikeNames(env, Object.keys(ENV_SCHEMA)).map(explainLookalike)
  if (values.UNKNOWN_SETTINGS == 'warn') lookalikes.forEach((line) => options.onWarning?.(line))
  else problems.push(...lookalikes.map((line) => `${line} (UNKNOWN_SETTINGS=warn starts anyway)`))
  // Without a key the relay answers as if all went well while eSputnik sees nothing: never so in production.
  if (env.NODE_ENV?.trim() == 'production' && !v.ESPUTNIK_API_KEY) {
    problems.push('ESPUTNIK_API_KEY: is required with NODE_ENV=production; without it every event goes to the built-in sandbox and never reaches eSputnik')
  }
  if (problems.length) throw new ConfigError(problems)
  const fields: Record<string, unknown> = {}
  for (const [name, spec] of Object.entries(ENV_SCHEMA)) {
    fields[spec.key] = (spec.toConfig as (value: unknown) => unknown)(values[name])
  }
  const config = { ...(fields as EnvConfig), ...TUNING }
  // No key: the built-in sandbox, unless the user named a base URL on purpose.
  config.baseUrl ??= config.apiKey ? ESPUTNIK_ORIGIN : undefined
  return config
}
