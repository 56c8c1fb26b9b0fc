import { describe, expect, it } from 'vitest'
import { editDistance, findLookalikeNames, isSystemName, relayPrefixes } from '../../../src/relay/ops/env-names.js'
import { ENV_SCHEMA } from '../../../src/relay/ops/env-schema.js'

const SETTINGS = Object.keys(ENV_SCHEMA)
const judge = (env: Record<string, string | undefined>) => findLookalikeNames(env, SETTINGS)

describe('lookalike setting names', () => {
  it.each([
    ['DATABSE_URL', 'DATABASE_URL'],
    ['ESPUTNIK_APIKEY', 'ESPUTNIK_API_KEY'],
    ['ESPUTNIK_API_KYE', 'ESPUTNIK_API_KEY'],
    ['SQLITE_PAHT', 'SQLITE_PATH'],
    ['LOGLEVEL', 'LOG_LEVEL'],
    ['ALLOWED_ORIGIN', 'ALLOWED_ORIGINS'],
    ['UNKNOWN_SETTING', 'UNKNOWN_SETTINGS'],
  ])('takes %s for a typo of %s', (name, setting) => {
    expect(judge({ [name]: 'x' })).toEqual([{ name, resembles: setting, rule: 'typo' }])
  })

  it.each([
    ['ESPUTNIK_KEY', 'ESPUTNIK_'],
    ['UPSTREAM_RATE', 'UPSTREAM_'],
    ['SANDBOX_FAILURES', 'SANDBOX_'],
    ['REPLAY_HISTORY', 'REPLAY_'],
    ['HELD_EVENTS_LIMIT', 'HELD_'],
  ])('takes %s, further off, for one of the relay’s own %s names', (name, prefix) => {
    const [found] = judge({ [name]: 'x' })
    expect(found).toMatchObject({ name, rule: 'prefix' })
    expect(found!.resembles.startsWith(prefix)).toBe(true)
  })

  it('compares case-sensitively, and not with settings under 8 characters', () => {
    expect(judge({ database_url: 'x', HOSTS: 'x', PORTS: 'x', SDK_FILES: 'x' })).toEqual([{ name: 'SDK_FILES', resembles: 'SDK_FILE', rule: 'typo' }])
  })

  it('never judges the system’s own names, the settings themselves or unset names', () => {
    const env = {
      HOME: '/root', PATH: '/bin', LANG: 'C', TERM: 'xterm', HOSTNAME: 'vm', TZ: 'UTC', _: '/usr/bin/node',
      NODE_ENV: 'test', NODE_OPTIONS: '', npm_config_cache: '/x', LC_ALL: 'C', XDG_RUNTIME_DIR: '/run', SSH_TTY: '/dev/pts/0',
      DATABASE_URL: 'postgres://db/relay', ESPUTNIK_API_KEY: 'k', DATABSE_URL: undefined,
    }
    expect(judge(env)).toEqual([])
    expect(isSystemName('NODE_DATABSE_URL')).toBe(true)
  })

  it('leaves names alone that merely share a common first word with a setting, as other programs use them', () => {
    expect(judge({ DATABASE_PASSWORD: 'x', LOG_FORMAT: 'x', SERVER_NAME: 'x', TEST_DATABASE_URL: 'x', PG_BINDIR: 'x' })).toEqual([])
  })

  it('derives the relay’s prefixes from the settings, so a new family of settings is judged by itself', () => {
    const prefixes = relayPrefixes(SETTINGS)
    expect(prefixes).toEqual(expect.arrayContaining(['ESPUTNIK_', 'UPSTREAM_', 'SANDBOX_', 'REPLAY_', 'HELD_']))
    expect(prefixes).not.toContain('DATABASE_')
    // A family of settings the schema does not have yet.
    expect(relayPrefixes(SETTINGS)).not.toContain('ZEBRA_')
    expect(relayPrefixes([...SETTINGS, 'ZEBRA_BOT_TOKEN'])).toContain('ZEBRA_')
    expect(findLookalikeNames({ ZEBRA_TOKEN: 'x' }, [...SETTINGS, 'ZEBRA_BOT_TOKEN'])).toEqual([
      { name: 'ZEBRA_TOKEN', resembles: 'ZEBRA_BOT_TOKEN', rule: 'prefix' },
    ])
  })

  it.each([
    ['DATABASE_URL', 'DATABASE_URL', 0],
    ['DATABSE_URL', 'DATABASE_URL', 1],
    ['DATABAES_URL', 'DATABASE_URL', 1],
    ['DTABSE_URL', 'DATABASE_URL', 2],
    ['database_url', 'DATABASE_URL', 11],
    ['', 'PORT', 4],
  ])('counts %s → %s as %i edits', (a, b, n) => {
    expect(editDistance(a, b)).toBe(n)
  })
})
