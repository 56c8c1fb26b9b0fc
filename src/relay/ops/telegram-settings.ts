/**
 * The parsers of the Telegram settings (env-schema.ts), and the rule that
 * ties them together: the bot's link and webhook need the app, the bot's
 * name and the webhook secret, all three; the app alone serves the shop's
 * own bot (`/v1/server/telegram-tokens`). Telegram's rules are from
 * https://core.telegram.org/bots/api (setWebhook) and docs/esputnik-api.md,
 * "App tokens (Telegram)".
 */

/** The app id eSputnik shows under My bots; it goes into the path of Add application tokens. */
export function appUuid(raw: string): string {
  if (!/^[\w-]{1,100}$/.test(raw)) throw new Error('must be the app id eSputnik shows under My bots (letters, digits, -)')
  return raw
}

/** A bot's username as BotFather gave it: 5 to 32 of `A-Za-z0-9_`, ending in `bot`; a leading `@` is dropped. */
export function botUsername(raw: string): string {
  const name = raw.replace(/^@/, '')
  if (!/^[A-Za-z][A-Za-z0-9_]{4,31}$/.test(name) || !/bot$/i.test(name)) {
    throw new Error('must be the bot\'s username as BotFather gave it, e.g. KettleAndLeafBot (5 to 32 letters, digits or _, ending in "bot")')
  }
  return name
}

/** setWebhook's `secret_token`: Telegram allows 1 to 256 of `A-Za-z0-9_-`; under 16 is guessable. */
export function webhookSecret(raw: string): string {
  if (!/^[A-Za-z0-9_-]{16,256}$/.test(raw)) {
    throw new Error('must be 16 to 256 letters, digits, _ or - (Telegram\'s rule for secret_token); use e.g. `openssl rand -hex 32`')
  }
  return raw
}

/** Telegram's longest message. */
export function welcomeText(raw: string): string {
  if (raw.length > 4096) throw new Error('must be at most 4096 characters, Telegram\'s longest message')
  return raw
}

const LINK = ['TELEGRAM_APP_UUID', 'TELEGRAM_BOT_USERNAME', 'TELEGRAM_WEBHOOK_SECRET'] as const
/** Settings of the link and the webhook only: set without them, they would do nothing. */
const LINK_ONLY = ['TELEGRAM_WELCOME_TEXT', 'TELEGRAM_LINK_TTL_MINUTES', 'TELEGRAM_BROWSER_LINKS'] as const

/** The boot errors of a partial set of Telegram settings, one line each; empty when the set is whole (or empty). */
export function telegramProblems(env: Record<string, string | undefined>): string[] {
  const given = (name: string) => Boolean(env[name]?.trim())
  const missing = LINK.filter((name) => !given(name))
  const asked = [...LINK.slice(1), ...LINK_ONLY].filter(given)
  if (!missing.length || !asked.length) return []
  return [
    `${missing.join(', ')}: missing; the bot's link and webhook need TELEGRAM_APP_UUID, TELEGRAM_BOT_USERNAME and TELEGRAM_WEBHOOK_SECRET together (${asked.join(', ')} set), and TELEGRAM_APP_UUID alone serves /v1/server/telegram-tokens`,
  ]
}
