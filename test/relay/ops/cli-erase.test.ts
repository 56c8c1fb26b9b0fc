import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../../../src/relay/ops/cli.js'
import { createSqliteStore } from '../../../src/relay/store/sqlite.js'
import { tempDir, wireEvent } from '../helpers.js'

const EMAIL = 'cli-erase@example.com'

describe('esputnik-relay erase', () => {
  let dir: string
  let out: string[]
  let err: string[]
  const cli = (...argv: string[]) =>
    runCli(argv, { env: { SQLITE_PATH: join(dir, 'relay.db') }, out: (l) => out.push(l), err: (l) => err.push(l), now: () => 2_000 })
  const open = () => createSqliteStore({ path: join(dir, 'relay.db') })

  beforeEach(async () => {
    dir = tempDir()
    out = []
    err = []
    // A linked visitor with held history, and a stranger, as a running relay would have left them.
    const store = open()
    for (const visitor of ['visitor-cli-erase', 'visitor-cli-other']) {
      await store.insertEvents({ visitor, events: [wireEvent('searchRequest', { search: visitor })], receivedAt: 1, anonymous: 'hold' })
    }
    await store.linkVisitor({ visitor: 'visitor-cli-erase', locators: { email: EMAIL }, since: 0, heldAfter: 0, at: 1 })
    await store.close()
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('erases by email and says what went, by kind', async () => {
    expect(await cli('erase', '--email', EMAIL.toUpperCase())).toBe(0)
    expect(out.join('\n')).toContain('Erased 1 visitor and 1 link')
    expect(out.join('\n')).toContain('event: 0 held, 1 queued, 0 sent, 0 dead')
    const store = open()
    expect(await store.getLink('visitor-cli-erase')).toBeUndefined()
    expect(await store.counts()).toMatchObject({ held: 1, queued: 0 })
    await store.close()
  })

  it('erases a visitor and prints the counts as JSON', async () => {
    expect(await cli('erase', '--visitor', 'visitor-cli-other', '--json')).toBe(0)
    expect(JSON.parse(out.join('\n'))).toMatchObject({ visitors: 1, links: 0, jobs: { event: { held: 1 } }, sandboxRequests: 0 })
  })

  it.each<[string[], RegExp]>([
    [[], /erase needs exactly one of --visitor, --email, --phone, --external-customer-id, --contact-id/],
    [['--email', EMAIL, '--phone', '+380501234567'], /erase needs exactly one of/],
    [['--mail', EMAIL], /Unknown option '--mail'/],
    [['--email'], /argument missing/],
    [['--email', 'not-an-email'], /email is not a valid email address/],
    [['--contact-id', '12a'], /contactId must be eSputnik’s contact id/],
    [['visitor-cli-erase'], /Unexpected argument/],
  ])('refuses %j with exit code 2, a reason, and erases nothing', async (args, reason) => {
    expect(await cli('erase', ...args)).toBe(2)
    expect(err.join('\n')).toMatch(reason)
    const store = open()
    expect(await store.getLink('visitor-cli-erase')).toEqual({ email: EMAIL })
    await store.close()
  })
})
