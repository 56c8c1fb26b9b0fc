import { afterEach, describe, expect, it } from 'vitest'
import { PATH_GENERATE_EVENT } from '../../../src/relay/esputnik/event-v2.js'
import { PATH_SUBSCRIBE_CONTACT } from '../../../src/relay/esputnik/subscribe.js'
import { batchOf, startTestRelay, stoppedAfterEach, waitFor, wireEvent } from '../helpers.js'
import { startReceiver, type Receiver } from '../receiver.js'

const start = stoppedAfterEach(startTestRelay)
let receivers: Receiver[] = []
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()))
  receivers = []
})

/** An eSputnik whose API key has the Events group but not the Contacts one. */
async function keyWithoutContacts() {
  const receiver = await startReceiver((path) => (path == PATH_SUBSCRIBE_CONTACT ? 403 : 200))
  receivers.push(receiver)
  const lines: string[] = []
  const relay = await start({
    env: { ESPUTNIK_API_KEY: 'key-without-contacts', ESPUTNIK_BASE_URL: receiver.url, LOG_LEVEL: 'error', SANDBOX_CONTROL: 'false' },
    config: { authPauseMs: 60_000 },
    deps: { logStream: { write: (line) => lines.push(line) } },
  })
  return { receiver, relay, lines }
}

const searches = (receiver: Receiver) =>
  receiver.calls
    .filter((c) => c.path == PATH_GENERATE_EVENT && c.status == 200)
    .map((c) => (c.body as { params: { name: string; value: string }[] }).params.find((p) => p.name == 'search')?.value)

describe('a 403 on one operation', () => {
  it('pauses only Subscribe contact, names the Contacts access the key lacks, and events keep flowing', async () => {
    const { receiver, relay, lines } = await keyWithoutContacts()
    const subscribe = { v: 1, id: 'subscribe-scope-0001', ts: Date.now(), visitor: 'visitor-scope-1', email: 'scope@example.com' }
    expect((await relay.post('/v1/subscribe', subscribe)).status).toBe(202)
    await waitFor(() => receiver.calls.some((c) => c.path == PATH_SUBSCRIBE_CONTACT), 'the refused subscribe')
    // The receiver records the call before it answers; the relay pauses once it has read the 403.
    await waitFor(() => relay.app.relay.forwarder.pauses().length, 'the pause of Subscribe contact')

    // Events sent after the refusal, in two batches, go through during the pause.
    await relay.send(batchOf('visitor-scope-2', [wireEvent('searchRequest', { search: 'after-1' })]))
    await relay.send(batchOf('visitor-scope-3', [wireEvent('searchRequest', { search: 'after-2' })]))
    await waitFor(() => searches(receiver).length == 2, 'both events delivered')
    expect(searches(receiver).sort()).toEqual(['after-1', 'after-2'])

    expect(relay.app.relay.forwarder.pauses()).toEqual([{ operation: 'subscribe', until: expect.any(Number), status: 403, scope: 'Contacts' }])
    expect(receiver.calls.filter((c) => c.path == PATH_SUBSCRIBE_CONTACT).map((c) => c.status)).toEqual([403])
    const refusals = lines.map((l) => JSON.parse(l) as { msg: string; operation?: string }).filter((l) => /refused the API key/.test(l.msg))
    expect(refusals).toHaveLength(1)
    expect(refusals[0]!.operation).toBe('subscribe')
    expect(refusals[0]!.msg).toMatch(/subscribe paused for 60 s, nothing is dropped\. Give the API key in ESPUTNIK_API_KEY access to Contacts/)
    const metrics = await (await fetch(`${relay.url}/metrics`)).text()
    expect(metrics).toContain('esputnik_relay_upstream_paused{operation="subscribe"} 1')
    expect(metrics).toContain('esputnik_relay_upstream_paused{operation="event-v2"} 0')
    // The subscribe waits in the store, queued, for the pause to end. The relay records the
    // events as sent a moment after the receiver got them, so wait for that before reading the counts.
    await waitFor(async () => (await relay.app.relay.store.counts()).sent == 2, 'both events recorded as sent')
    expect(await relay.app.relay.store.counts()).toMatchObject({ queued: 1, sent: 2, dead: 0 })
  })
})
