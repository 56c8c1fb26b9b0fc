import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { startTestRelay, stoppedAfterEach, tempDir, waitFor, type TestRelay } from '../helpers.js'
import { SERVER_TOKEN } from '../identity-helpers.js'
import { addedOrders, atLeast, backendOrder, expectValidUpstream, orderEvents, postOrders, untilQuiet } from '../order-helpers.js'

// kill -9 between acceptance and delivery: the relay under test is a child
// process (the source through tsx, as `node dist/relay/main.js` runs the
// build), killed with SIGKILL after its 2xx and started again on the same
// SQLite file. eSputnik is another relay's sandbox in this process, so its
// record outlives the kill (as bench/reliability/kill9.mjs does).

const MAIN = fileURLToPath(new URL('../../../src/relay/main.ts', import.meta.url))
const start = stoppedAfterEach(startTestRelay)
const children = new Set<ChildProcess>()
const dirs: string[] = []
afterEach(() => {
  for (const child of children) child.kill('SIGKILL')
  children.clear()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address == 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/** The relay as a process of its own, forwarding to `upstream`'s sandbox; resolves once /healthz answers. */
async function relayProcess(upstream: TestRelay, dbPath: string, port: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      SQLITE_PATH: dbPath,
      ESPUTNIK_API_KEY: 'test-key',
      ESPUTNIK_BASE_URL: `${upstream.url}/sandbox`,
      SERVER_TOKEN,
      RETRY_BASE_MS: '50',
      RETRY_MAX_MS: '200',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  children.add(child)
  const url = `http://127.0.0.1:${port}`
  await waitFor(async () => (await fetch(`${url}/healthz`)).ok, 'the relay process to answer', 20_000)
  return { child, relay: { url } as TestRelay }
}

describe('kill -9 between acceptance and delivery', () => {
  it('loses no order: a relay killed after its 2xx and started again on its file delivers each once', async () => {
    const upstream = await start()
    // eSputnik is down while the first process runs: nothing it accepted can be delivered before the kill.
    await upstream.faults({ status: 503, count: 1_000_000 })
    const dir = tempDir()
    dirs.push(dir)
    const dbPath = join(dir, 'relay.db')
    const port = await freePort()
    const first = await relayProcess(upstream, dbPath, port)
    const answer = await postOrders(first.relay, [
      backendOrder('KL-9001', { email: 'kill9@example.com' }),
      backendOrder('KL-9002', { visitorId: 'visitor-kill9-held' }),
    ])
    expect(answer.body.orders.map((o) => o.accepted && o.held)).toEqual([false, true])
    await waitFor(async () => (await upstream.recorded()).some((r) => r.status == 503), 'a failed attempt of the first process')
    first.child.kill('SIGKILL')
    await once(first.child, 'exit')

    await upstream.faults({})
    const second = await relayProcess(upstream, dbPath, port)
    // The held order waited in the file too: the link releases it.
    const link = await fetch(`${second.relay.url}/v1/server/identify`, {
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
