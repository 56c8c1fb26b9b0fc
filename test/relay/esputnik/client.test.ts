import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { classifyStatus, createEsputnikClient, parseRetryAfter } from '../../../src/relay/esputnik/client.js'
import { UpstreamError } from '../../../src/relay/esputnik/errors.js'
import { PATH_GENERATE_EVENT, type GenerateEventBody } from '../../../src/relay/esputnik/event-v2.js'
import { subscribeContact } from '../../../src/relay/esputnik/subscribe.js'
import { startTestRelay, type TestRelay } from '../helpers.js'

/** What an operation's send is given besides the body; these calls read none of it. */
const CONTEXT = { replayOccurredAt: true, replayMode: 'auto' as const, now: 0 }
const BODY: GenerateEventBody = { eventTypeKey: 'pageViewed', keyValue: 'a@b.co', params: [{ name: 'page', value: '{"location":"https://x.io"}' }] }

describe('classifyStatus', () => {
  it.each([
    [200, 'ok'],
    [204, 'ok'],
    [400, 'dead'],
    [404, 'dead'],
    [413, 'dead'],
    [401, 'auth'],
    [403, 'auth'],
    [408, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
  ])('treats %i as %s', (status, outcome) => {
    expect(classifyStatus(status)).toBe(outcome)
  })

  it('reads Retry-After in seconds or as a date', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000)
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 4000)).toBe(6000)
    expect(parseRetryAfter(null, 0)).toBeUndefined()
    expect(parseRetryAfter('soon', 0)).toBeUndefined()
  })
})

describe('the eSputnik client against the sandbox over HTTP', () => {
  let relay: TestRelay
  const client = (timeoutMs = 2000) =>
    createEsputnikClient({ baseUrl: `${relay.url}/sandbox`, apiKey: 'secret-key', timeoutMs })
  const failure = async (promise: Promise<unknown>) => {
    try {
      await promise
    } catch (error) {
      return error as UpstreamError
    }
    throw new Error('expected the call to fail')
  }
  beforeAll(async () => {
    relay = await startTestRelay({ config: { autoStart: false } })
  })
  beforeEach(async () => {
    await fetch(`${relay.url}/sandbox/faults`, { method: 'DELETE' })
  })
  afterAll(() => relay.stop())

  it('posts the body with Basic auth whose password is the API key', async () => {
    expect(await client().post(PATH_GENERATE_EVENT, BODY)).toEqual({ status: 200, body: '' })
    const [req] = (await relay.recorded()).slice(-1)
    expect(req).toMatchObject({ path: '/api/v2/event', authorized: true, body: BODY })
  })

  it.each([
    [400, 'dead', false],
    [401, 'auth', false],
    [429, 'retry', true],
    [500, 'retry', true],
  ] as const)('turns a %i into an UpstreamError (%s) with the status and body', async (status, outcome, retryable) => {
    await relay.faults({ status, count: 1 })
    const error = await failure(client().post(PATH_GENERATE_EVENT, BODY))
    expect(error).toBeInstanceOf(UpstreamError)
    expect(error).toMatchObject({ status, outcome, retryable, body: `Injected fault ${status}` })
  })

  it('calls Subscribe contact, and takes its 409 (the same request within a minute) as success', async () => {
    const body = { contact: { channels: [{ type: 'email' as const, value: 'sub@example.com' }] }, groups: ['Subscribers'] }
    const first = await subscribeContact.send(client(), body, CONTEXT)
    expect(first.status).toBe(200)
    expect(JSON.parse(first.body)).toEqual({ id: expect.any(Number) })
    expect(await subscribeContact.send(client(), body, CONTEXT)).toEqual({ status: 409, body: 'Duplicated request' })
    const [req] = (await relay.recorded('/api/v1/contact/subscribe')).slice(-1)
    expect(req).toMatchObject({ authorized: true, body })
    await relay.faults({ status: 400, count: 1 })
    expect(await failure(subscribeContact.send(client(), body, CONTEXT))).toMatchObject({ status: 400, outcome: 'dead' })
  })

  it('times out a slow answer as retryable', async () => {
    await relay.faults({ latencyMs: 400 })
    const error = await failure(client(100).post(PATH_GENERATE_EVENT, BODY))
    expect(error).toMatchObject({ status: undefined, outcome: 'retry' })
    expect(error.message).toMatch(/timed out after 100 ms/)
  })

  it('treats a reset connection as retryable', async () => {
    await relay.faults({ resets: 1 })
    const error = await failure(client().post(PATH_GENERATE_EVENT, BODY))
    expect(error).toMatchObject({ status: undefined, outcome: 'retry' })
    expect(error.message).toMatch(/network error/)
  })

  it('treats a refused connection as retryable', async () => {
    const closed = createEsputnikClient({ baseUrl: 'http://127.0.0.1:9', apiKey: 'k', timeoutMs: 1000 })
    expect(await failure(closed.post(PATH_GENERATE_EVENT, BODY))).toMatchObject({ outcome: 'retry' })
  })
})
