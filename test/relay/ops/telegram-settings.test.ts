import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/relay/ops/config.js'
import { configProblems } from './config-problems.js'

const APP = { TELEGRAM_APP_UUID: '0b6f9c1e-4a2d-4f5e-9c1d-7a8b9c0d1e2f' }
const BOT = { ...APP, TELEGRAM_BOT_USERNAME: '@KettleAndLeafBot', TELEGRAM_WEBHOOK_SECRET: 'a'.repeat(32) }

describe('the Telegram settings', () => {
  it('reads a whole set: the bot’s name without its @, the TTL in ms, browser links on by default', () => {
    const config = loadConfig({ ...BOT, TELEGRAM_LINK_TTL_MINUTES: '15' })
    expect(config).toMatchObject({ telegramBotUsername: 'KettleAndLeafBot', telegramLinkTtlMs: 15 * 60_000, telegramBrowserLinks: true })
    expect(loadConfig({}).telegramLinkTtlMs).toBe(60 * 60_000)
    expect(loadConfig({ ...BOT, TELEGRAM_BROWSER_LINKS: 'off' }).telegramBrowserLinks).toBe(false)
    expect(loadConfig({ UPSTREAM_TOKENS_RATE_PER_SEC: '50' }).upstreamTokensRatePerSec).toBe(50)
  })

  it('takes the app id alone (the shop’s own bot) and nothing at all', () => {
    expect(configProblems(APP)).toEqual([])
    expect(configProblems({})).toEqual([])
  })

  it.each([
    ['the secret missing', { ...APP, TELEGRAM_BOT_USERNAME: 'KettleAndLeafBot' }, /^TELEGRAM_WEBHOOK_SECRET: missing/],
    ['the app missing', { TELEGRAM_BOT_USERNAME: 'KettleAndLeafBot', TELEGRAM_WEBHOOK_SECRET: 'a'.repeat(32) }, /^TELEGRAM_APP_UUID: missing/],
    ['only a welcome text', { TELEGRAM_WELCOME_TEXT: 'Hi' }, /^TELEGRAM_APP_UUID, TELEGRAM_BOT_USERNAME, TELEGRAM_WEBHOOK_SECRET: missing/],
    ['the app with a TTL but no bot', { ...APP, TELEGRAM_LINK_TTL_MINUTES: '5' }, /^TELEGRAM_BOT_USERNAME, TELEGRAM_WEBHOOK_SECRET: missing/],
  ])('refuses to boot with a partial set, naming what is missing: %s', (_name, env, expected) => {
    expect(configProblems(env as Record<string, string>)).toEqual([expect.stringMatching(expected)])
  })

  it.each([
    ['a secret Telegram refuses (a space)', { ...BOT, TELEGRAM_WEBHOOK_SECRET: 'a'.repeat(20) + ' b' }, 'TELEGRAM_WEBHOOK_SECRET'],
    ['a short secret', { ...BOT, TELEGRAM_WEBHOOK_SECRET: 'short' }, 'TELEGRAM_WEBHOOK_SECRET'],
    ['a secret over 256', { ...BOT, TELEGRAM_WEBHOOK_SECRET: 'a'.repeat(257) }, 'TELEGRAM_WEBHOOK_SECRET'],
    ['a bot name not ending in bot', { ...BOT, TELEGRAM_BOT_USERNAME: 'KettleAndLeaf' }, 'TELEGRAM_BOT_USERNAME'],
    ['an app id with a slash', { ...BOT, TELEGRAM_APP_UUID: 'a/b' }, 'TELEGRAM_APP_UUID'],
    ['a browser links value', { ...BOT, TELEGRAM_BROWSER_LINKS: 'maybe' }, 'TELEGRAM_BROWSER_LINKS'],
  ])('refuses %s', (_name, env, name) => {
    const lines = configProblems(env)
    expect(lines.some((line) => line.startsWith(`${name}:`))).toBe(true)
    // A secret is never echoed back.
    expect(lines.join('\n')).not.toContain('a'.repeat(20))
  })
})
