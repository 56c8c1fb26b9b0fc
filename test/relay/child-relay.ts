import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach } from 'vitest'
import { freePort } from '../../scripts/free-port.mjs'
import { tempDir, waitFor, type TestRelay } from './helpers.js'

// The relay under a kill -9 test is a child process (the source through tsx,
// as `node dist/relay/main.js` runs the build), so SIGKILL really stops it
// mid-work. eSputnik is another relay's sandbox in the test's own process,
// so its record outlives the kill (as bench/reliability/kill9.mjs does).

const MAIN = fileURLToPath(new URL('../../src/relay/main.ts', import.meta.url))

export interface ChildRelayOptions {
  /** The relay whose sandbox stands for eSputnik. */
  upstream: TestRelay
  /**
   * More settings of the child, e.g. SERVER_TOKEN or ANONYMOUS_EVENTS.
   * @defaultValue `{}`
   */
  env?: Record<string, string>
}

/** One running relay process. */
export interface ChildRelay {
  url: string
  /** SIGKILL, as `kill -9` does; resolves once the process has exited. */
  kill9(): Promise<void>
}

/** Relay processes on one SQLite file and one port: the next start opens what the last one left. */
export interface ChildRelays {
  /** Starts a process; resolves once its /healthz answers. */
  start(): Promise<ChildRelay>
}

/**
 * For a test file: `childRelays(options)` gives relay processes whose file
 * lives in a temp folder; every process still running is killed and each
 * folder removed after each test, so a failing test leaves nothing behind.
 */
export function childRelaysKilledAfterEach(): (options: ChildRelayOptions) => Promise<ChildRelays> {
  const children = new Set<ChildProcess>()
  const dirs: string[] = []
  afterEach(() => {
    for (const child of children) child.kill('SIGKILL')
    children.clear()
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })
  return async ({ upstream, env = {} }) => {
    const dir = tempDir()
    dirs.push(dir)
    const port = await freePort()
    const url = `http://127.0.0.1:${port}`
    return {
      async start() {
        const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
          env: {
            PATH: process.env.PATH,
            HOST: '127.0.0.1',
            PORT: String(port),
            LOG_LEVEL: 'warn',
            SQLITE_PATH: join(dir, 'relay.db'),
            ESPUTNIK_API_KEY: 'test-key',
            ESPUTNIK_BASE_URL: `${upstream.url}/sandbox`,
            RETRY_BASE_MS: '50',
            RETRY_MAX_MS: '200',
            ...env,
          },
          stdio: ['ignore', 'ignore', 'inherit'],
        })
        children.add(child)
        await waitFor(async () => (await fetch(`${url}/healthz`)).ok, 'the relay process to answer', 20_000)
        return {
          url,
          async kill9() {
            const exited = child.exitCode === null && child.signalCode === null ? once(child, 'exit') : undefined
            child.kill('SIGKILL')
            await exited
            children.delete(child)
          },
        }
      },
    }
  }
}
