// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { closedPort, waitUntilQuiet } from './support/relay-stub.js'
import { useTrackers } from './support/trackers.js'

const { env, track } = useTrackers()
const relay = () => env.relay
const errors = env.errors
const LINK = 'https://t.me/shop_bot?start=Xy3_k9-QpL2mN8vR'

/** The stub relay answering the link route as the relay does when Telegram is set up. */
const answerLinks = () =>
  relay().answerWith(({ path }) => (path == '/v1/telegram/link' ? { status: 200, body: { url: LINK } } : { status: 202, body: {} }))

describe('telegramLink', () => {
  it("posts the visitor as text/plain JSON to /v1/telegram/link and resolves the answer's url", async () => {
    answerLinks()
    const tracker = track()
    await expect(tracker.telegramLink()).resolves.toBe(LINK)
    expect(relay().received).toEqual([
      { path: '/v1/telegram/link', contentType: expect.stringMatching(/^text\/plain/), body: { v: 1, visitor: tracker.visitorId } },
    ])
    expect(errors).toEqual([])
  })

  it.each([
    [404, { error: 'Not Found' }, 'HTTP 404: Not Found'],
    [503, {}, 'HTTP 503'],
    [200, 'no link here', 'HTTP 200'],
  ])('on a %i answering %j, resolves an empty link and tells onError once why', async (status, body, reason) => {
    relay().answerWith(() => ({ status, body }))
    await expect(track().telegramLink()).resolves.toBe('')
    expect(errors).toEqual([{ method: 'telegramLink', reason }])
  })

  it('with the relay unreachable, resolves an empty link and tells onError once of a network error', async () => {
    await expect(track({ endpoint: await closedPort() }).telegramLink()).resolves.toBe('')
    expect(errors).toEqual([{ method: 'telegramLink', reason: 'network error' }])
  })

  it('without consent, asks for no link and resolves an empty one', async () => {
    answerLinks()
    await expect(track({ consent: 'pending' }).telegramLink()).resolves.toBe('')
    // Ten flush intervals (20 ms): a request would have reached the stub by then.
    await waitUntilQuiet(() => relay().received.length, 200)
    expect(relay().received).toEqual([])
    expect(errors).toEqual([])
  })

  it('asks anew on each call: a code works once', async () => {
    answerLinks()
    const tracker = track()
    await tracker.telegramLink()
    await tracker.telegramLink()
    expect(relay().received.filter((r) => r.path == '/v1/telegram/link')).toHaveLength(2)
  })
})
