import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One call the receiver got: its path, when its request arrived whole (Date.now), the status it answered, the parsed body. */
export interface ReceivedCall {
  path: string
  at: number
  status: number
  body: unknown
}

/** How the receiver answers a call to `path`: a status, 200 unless told. */
export type Answer = (path: string, body: unknown) => number

export interface Receiver {
  /** Origin plus `/api`-free prefix: give it to the relay as ESPUTNIK_BASE_URL. */
  url: string
  calls: ReceivedCall[]
  /** The receive times of the calls to paths starting with `prefix`. */
  times(prefix: string): number[]
  close(): Promise<void>
}

const read = (request: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let text = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => (text += chunk))
    request.on('end', () => resolve(text))
    request.on('error', reject)
  })

/**
 * A stand-in for eSputnik on a loopback port, in the test's own process but
 * apart from any relay: it records every call with the time its request
 * arrived, which is where eSputnik counts its rate limits, and answers as
 * `answer` says (a JSON `{"id": n}` with a 200, as Subscribe contact does).
 */
export async function startReceiver(answer: Answer = () => 200, latencyMs = 0): Promise<Receiver> {
  const calls: ReceivedCall[] = []
  let next = 1
  const server: Server = createServer(async (request, response) => {
    const text = await read(request)
    const at = Date.now()
    const path = request.url ?? ''
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      body = text
    }
    const status = answer(path, body)
    calls.push({ path, at, status, body })
    if (latencyMs) await new Promise((resolve) => setTimeout(resolve, latencyMs))
    response.writeHead(status, { 'content-type': 'application/json' }).end(status == 200 ? JSON.stringify({ id: next++ }) : '"refused"')
  })
  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    calls,
    times: (prefix) => calls.filter((c) => c.path.startsWith(prefix)).map((c) => c.at),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** The most times that fall in any window of `windowMs` (sliding over the sorted times), and where that window starts. */
export function busiestWindow(times: number[], windowMs = 1000): { max: number; at: number } {
  const t = [...times].sort((a, b) => a - b)
  let max = 0
  let at = 0
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i]! - t[j]! >= windowMs) j++
    if (i - j + 1 > max) {
      max = i - j + 1
      at = t[j]!
    }
  }
  return { max, at }
}
