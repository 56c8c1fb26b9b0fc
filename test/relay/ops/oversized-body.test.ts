import { connect, type Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { MAX_BATCH_BYTES } from '../../../src/relay/ingest/options.js'
import { startTestRelay, stoppedAfterEach, waitFor } from '../helpers.js'

const start = stoppedAfterEach(startTestRelay)

/** A raw HTTP/1.1 connection: what it has received so far, and whether it broke. */
async function open(url: string) {
  const { hostname, port } = new URL(url)
  const socket: Socket = connect(Number(port), hostname)
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject))
  const state = { text: '', error: undefined as Error | undefined, closed: false }
  socket.setEncoding('latin1')
  socket.on('data', (chunk: string) => (state.text += chunk))
  socket.on('error', (error) => (state.error = error))
  socket.on('close', () => (state.closed = true))
  const write = (data: string | Buffer) => new Promise<void>((resolve) => socket.write(data, () => resolve()))
  return { socket, state, write }
}

describe('a body over the limit', () => {
  it('is answered 413 before it is sent whole, and the rest of it does not break the connection', async () => {
    const relay = await start()
    const size = 1024 * 1024
    const conn = await open(relay.url)
    await conn.write(`POST /v1/e HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: text/plain\r\ncontent-length: ${size}\r\n\r\n`)
    await conn.write(Buffer.alloc(64 * 1024, 'x'))
    // The relay answers from the Content-Length alone; the client is still sending.
    await waitFor(() => /^HTTP\/1\.1 413 [^]*\r\n\r\n\{[^]*\}$/.test(conn.state.text), 'the 413')
    expect(conn.state.text).not.toMatch(/connection: close/i)
    expect(conn.state.text).toContain(`body must be at most ${MAX_BATCH_BYTES} bytes`)

    // The rest of the body is read, not met with a reset, and the connection serves the next request.
    await conn.write(Buffer.alloc(size - 64 * 1024, 'x'))
    await conn.write('GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n')
    await waitFor(() => conn.state.text.includes('HTTP/1.1 200'), 'the answer to the next request on the same connection')
    expect(conn.state.error).toBeUndefined()
    expect(conn.state.closed).toBe(false)
    conn.socket.destroy()
  })

  it('gets its 413 every time over fetch, many at once', async () => {
    const relay = await start()
    const body = 'x'.repeat(MAX_BATCH_BYTES * 4)
    const post = () => fetch(`${relay.url}/v1/e`, { method: 'POST', body, headers: { 'content-type': 'text/plain' } }).then((r) => r.status, (e: Error) => e.message)
    const answers: unknown[] = []
    for (let round = 0; round < 10; round++) answers.push(...(await Promise.all(Array.from({ length: 8 }, post))))
    expect(answers).toEqual(Array(80).fill(413))
  })

  it('has its connection cut when the client goes on sending past what the relay reads after the 413', async () => {
    const relay = await start()
    const conn = await open(relay.url)
    // Chunked, so no Content-Length tells the relay how much will come.
    await conn.write('POST /v1/e HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n')
    const chunk = Buffer.alloc(1024 * 1024, 'x')
    const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])
    await conn.write(frame)
    await waitFor(() => conn.state.text.startsWith('HTTP/1.1 413'), 'the 413')
    for (let i = 0; i < 40 && !conn.state.closed; i++) await conn.write(frame)
    await waitFor(() => conn.state.closed, 'the connection to be cut past 32 MiB')
  })
})
