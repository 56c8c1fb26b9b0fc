import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createTcpServer, type AddressInfo } from 'node:net'

/** One request the stub received. */
export interface Received {
  path: string
  contentType: string | undefined
  body: any
}

export type Answer = (received: Received) => { status: number; body?: unknown }

/**
 * A loopback HTTP server that stands in for the relay in the SDK's unit
 * tests: the SDK's real fetch reaches it over a real socket, and it records
 * what arrived. It answers 202 `{accepted, rejected: []}` unless told otherwise.
 */
export async function startRelayStub() {
  const received: Received[] = []
  let answer: Answer = ({ body }) => ({ status: 202, body: { accepted: body?.events?.length ?? 0, rejected: [] } })
  const accepted = answer

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let text = ''
    request.on('data', (chunk) => (text += chunk))
    request.on('end', () => {
      let body: any = text
      try {
        body = JSON.parse(text)
      } catch {}
      const entry = { path: request.url ?? '', contentType: request.headers['content-type'], body }
      received.push(entry)
      const { status, body: reply } = answer(entry)
      response.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' })
      response.end(JSON.stringify(reply ?? {}))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url,
    received,
    /** Every event of every batch, in arrival order. */
    events: () => received.filter((r) => r.path == '/v1/e').flatMap((r) => r.body.events as any[]),
    answerWith(next: Answer) {
      answer = next
    },
    /** Answers `status` to the next `count` requests, then accepts again. */
    failNext(status: number, count: number) {
      let left = count
      answer = (entry) => (left-- > 0 ? { status, body: { error: 'down' } } : accepted(entry))
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export type RelayStub = Awaited<ReturnType<typeof startRelayStub>>

/** A loopback port nothing listens on: a fetch there fails as a network error, as an unreachable relay does. */
export async function closedPort(): Promise<string> {
  const server = createTcpServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return `http://127.0.0.1:${port}`
}

/** Polls `check` until it stops throwing or returns truthy; the last failure is the error. */
export async function waitFor<T>(check: () => T, timeout = 5000): Promise<T> {
  const deadline = Date.now() + timeout
  for (;;) {
    try {
      const result = check()
      if (result) return result
      if (Date.now() > deadline) throw new Error('waitFor: condition still false')
    } catch (error) {
      if (Date.now() > deadline) throw error
    }
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/**
 * Resolves once `read()` (compared as JSON, e.g. a count) has not changed for
 * `quietMs`: the way to show that nothing more is sent. `quietMs` must be
 * longer than the delay of whatever could still send (a retry's backoff, the
 * flush interval); the caller states which. Fails after `timeout` if it never settles.
 * It reads the monotonic clock, so a test that fakes Date can use it.
 */
export async function waitUntilQuiet(read: () => unknown, quietMs: number, timeout = quietMs * 3): Promise<void> {
  const deadline = performance.now() + timeout
  let last = JSON.stringify(read())
  let since = performance.now()
  while (performance.now() - since < quietMs) {
    if (performance.now() > deadline) throw new Error(`waitUntilQuiet: still changing after ${timeout} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
    const now = JSON.stringify(read())
    if (now != last) {
      last = now
      since = performance.now()
    }
  }
}
