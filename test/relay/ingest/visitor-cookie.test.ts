import { describe, expect, it } from 'vitest'
import { batchOf, startTestRelay, stoppedAfterEach, wireEvent } from '../helpers.js'

const start = stoppedAfterEach((env: Record<string, string> = {}) => startTestRelay({ env }))
const VISITOR = 'visitor-cookie-1'
const batch = (visitor = VISITOR) => batchOf(visitor, [wireEvent('pageViewed', {})])

describe('the visitor cookie refresh (VISITOR_COOKIE)', () => {
  it('gives a batch its own visitor cookie back for 400 days, so Safari’s 7-day cap on script cookies does not apply', async () => {
    const relay = await start({ VISITOR_COOKIE: 'sc' })
    const res = await relay.send(batch(), { cookie: `other=1; sc=${VISITOR}` })
    expect(res.status).toBe(202)
    expect(res.headers.getSetCookie()).toEqual([`sc=${VISITOR}; Max-Age=34560000; Path=/; SameSite=Lax`])
  })

  it('never creates the cookie: a request without it gets none, since having an id is the SDK’s and the consent’s call', async () => {
    const relay = await start({ VISITOR_COOKIE: 'sc' })
    const res = await relay.send(batch())
    expect(res.status).toBe(202)
    expect(res.headers.getSetCookie()).toEqual([])
  })

  it('never brings an old id back: a batch sealed before reset() leaves the new cookie alone', async () => {
    const relay = await start({ VISITOR_COOKIE: 'sc' })
    const res = await relay.send(batch('visitor-before-reset'), { cookie: 'sc=visitor-after-reset' })
    expect(res.status).toBe(202)
    expect(res.headers.getSetCookie()).toEqual([])
  })

  it('writes the domain the SDK writes (VISITOR_COOKIE_DOMAIN), and Secure behind an https proxy', async () => {
    const relay = await start({ VISITOR_COOKIE: 'kl_id', VISITOR_COOKIE_DOMAIN: 'shop.example.com', TRUST_PROXY: 'true' })
    const res = await relay.send(batch(), { cookie: `kl_id=${VISITOR}`, 'x-forwarded-proto': 'https' })
    expect(res.headers.getSetCookie()).toEqual([`kl_id=${VISITOR}; Max-Age=34560000; Domain=shop.example.com; Path=/; Secure; SameSite=Lax`])
  })

  it.each<[string, Record<string, string>, boolean]>([
    ['a hop count of trusted proxies says https', { TRUST_PROXY: '1' }, true],
    ['the trusted proxy is this address', { TRUST_PROXY: '127.0.0.1' }, true],
    ['no proxy is trusted, whatever the header says', {}, false],
    ['the proxy trusted is another one', { TRUST_PROXY: '10.0.0.1' }, false],
  ])('is Secure behind X-Forwarded-Proto: https only when %s', async (_, env, isSecure) => {
    const relay = await start({ VISITOR_COOKIE: 'sc', ...env })
    const res = await relay.send(batch(), { cookie: `sc=${VISITOR}`, 'x-forwarded-proto': 'https' })
    expect(res.headers.getSetCookie()).toEqual([`sc=${VISITOR}; Max-Age=34560000; Path=/; ${isSecure ? 'Secure; ' : ''}SameSite=Lax`])
  })

  it('is off unless VISITOR_COOKIE names the cookie', async () => {
    const relay = await start()
    const res = await relay.send(batch(), { cookie: `sc=${VISITOR}` })
    expect(res.status).toBe(202)
    expect(res.headers.getSetCookie()).toEqual([])
  })

  it('refreshes nothing for a malformed body', async () => {
    const relay = await start({ VISITOR_COOKIE: 'sc' })
    const res = await relay.send('{"v":1', { cookie: `sc=${VISITOR}` })
    expect(res.status).toBe(400)
    expect(res.headers.getSetCookie()).toEqual([])
  })
})
