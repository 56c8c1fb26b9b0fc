import { describe, expect, it } from 'vitest'
import { childRelaysKilledAfterEach } from '../child-relay.js'
import { startTestRelay, stoppedAfterEach, waitFor } from '../helpers.js'
import { SERVER_TOKEN } from '../identity-helpers.js'
import { addedOrders, atLeast, backendOrder, expectValidUpstream, orderEvents, postOrders, untilQuiet } from '../order-helpers.js'

// kill -9 between acceptance and delivery: the relay under test is a child
// process (test/relay/child-relay.ts), killed with SIGKILL after its 2xx and
// started again on the same SQLite file.

const start = stoppedAfterEach(startTestRelay)
const childRelays = childRelaysKilledAfterEach()

describe('kill -9 between acceptance and delivery', () => {
  it('loses no order: a relay killed after its 2xx and started again on its file delivers each once', async () => {
    const upstream = await start()
    // eSputnik is down while the first process runs: nothing it accepted can be delivered before the kill.
    await upstream.faults({ status: 503, count: 1_000_000 })
    const relays = await childRelays({ upstream, env: { SERVER_TOKEN } })
    const first = await relays.start()
    const answer = await postOrders(first, [
      backendOrder('KL-9001', { email: 'kill9@example.com' }),
      backendOrder('KL-9002', { visitorId: 'visitor-kill9-held' }),
    ])
    expect(answer.body.orders.map((o) => o.accepted && o.held)).toEqual([false, true])
    await waitFor(async () => (await upstream.recorded()).some((r) => r.status == 503), 'a failed attempt of the first process')
    await first.kill9()

    await upstream.faults({})
    const second = await relays.start()
    // The held order waited in the file too: the link releases it.
    const link = await fetch(`${second.url}/v1/server/identify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SERVER_TOKEN}` },
      body: JSON.stringify({ visitorId: 'visitor-kill9-held', externalCustomerId: 'c-9002' }),
    })
    expect(link.status).toBe(202)
    await atLeast(() => orderEvents(upstream), 2, 'both orderCreated events', 20_000)
    await atLeast(() => addedOrders(upstream), 2, 'both Add orders rows', 20_000)
    await untilQuiet(upstream)
    expect((await orderEvents(upstream)).map((e) => [e.named.externalOrderId, e.keyValue]).sort()).toEqual([
      ['KL-9001', 'kill9@example.com'],
      ['KL-9002', 'c-9002'],
    ])
    expect((await addedOrders(upstream)).map((o) => o.externalOrderId).sort()).toEqual(['KL-9001', 'KL-9002'])
    await expectValidUpstream(upstream)
  }, 60_000)
})
