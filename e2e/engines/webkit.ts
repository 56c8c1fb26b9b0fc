import { spawn } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { pageExpression, type Tab } from '../scenarios/driver.js'
import type { Engine, OpenDriver } from './engine.js'

// WebKit as Debian packages it: WebKitGTK's WebKitWebDriver (webkit2gtk-driver)
// drives its MiniBrowser over classic W3C WebDriver, spoken here with plain fetch
// (https://www.w3.org/TR/webdriver2/). It needs a display: run under `xvfb-run -a`.
// Classic WebDriver has no offline switch and no cookie blocking, so the
// driver has neither and the scenarios use the fixture server's instead.

/** The MiniBrowser of webkit2gtk-4.1, wherever the multiarch directory is. */
function findMiniBrowser(): string {
  if (process.env.WEBKIT_MINIBROWSER) return process.env.WEBKIT_MINIBROWSER
  const arch = readdirSync('/usr/lib').find((dir) => existsSync(`/usr/lib/${dir}/webkit2gtk-4.1/MiniBrowser`))
  if (!arch) throw new Error('MiniBrowser not found: apt-get install webkit2gtk-driver (or set WEBKIT_MINIBROWSER)')
  return `/usr/lib/${arch}/webkit2gtk-4.1/MiniBrowser`
}

interface WebKitOptions {
  /** Where the fixture server answers; tabs' paths are on it. */
  origin: string
  /** WebKitWebDriver's port. @defaultValue 4444 */
  port?: number
}

export async function launchWebKit({ origin, port = 4444 }: WebKitOptions): Promise<Engine> {
  const binary = findMiniBrowser()
  const server = spawn(process.env.WEBKIT_WEBDRIVER ?? 'WebKitWebDriver', [`--port=${port}`], { stdio: ['ignore', 'ignore', 'inherit'] })
  const exited = new Promise((resolve) => server.once('exit', resolve))
  const base = `http://127.0.0.1:${port}`

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const init = method == 'POST' ? { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) } : { method }
    const res = await fetch(base + path, init)
    const json = (await res.json()) as { value: T & { error?: string; message?: string } }
    if (!res.ok) throw new Error(`WebDriver ${method} ${path}: ${json.value.error} ${json.value.message}`)
    return json.value
  }
  const get = <T>(path: string) => fetch(base + path).then(async (res) => ((await res.json()) as { value: T }).value)

  // Ready when /status answers; a driver that failed to start says so on stderr.
  for (let tries = 0; !(await get<{ ready?: boolean }>('/status').then((s) => s.ready, () => false)); tries++) {
    if (tries > 100 || server.exitCode != null) throw new Error(`WebKitWebDriver did not start on port ${port}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }

  async function open(): Promise<OpenDriver> {
    const capabilities = { browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary, args: ['--automation'] } }
    const session = await call<{ sessionId: string; capabilities: { browserVersion: string } }>('POST', '/session', {
      capabilities: { alwaysMatch: capabilities },
    })
    const { sessionId } = session
    const at = (path: string) => `/session/${sessionId}${path}`
    let current = await get<string>(at('/window'))
    // One session drives one tab at a time: every command switches to its tab first, in turn.
    let turn: Promise<unknown> = Promise.resolve()
    const inTab = <T>(handle: string, command: () => Promise<T>): Promise<T> => {
      const run = turn.then(async () => {
        if (current != handle) await call('POST', at('/window'), { handle }), (current = handle)
        return command()
      })
      turn = run.catch(() => undefined)
      return run
    }

    const tabOf = (handle: string): Tab => ({
      goto: (path) => inTab(handle, () => call('POST', at('/url'), { url: origin + path })).then(() => undefined),
      reload: () => inTab(handle, () => call('POST', at('/refresh'))).then(() => undefined),
      // execute/sync awaits a promise the script returns.
      evaluate: ((fn: (arg: never) => unknown, arg?: unknown) =>
        inTab(handle, () => call('POST', at('/execute/sync'), { script: `return ${pageExpression(fn, arg)}`, args: [] }))) as Tab['evaluate'],
      close: () => inTab(handle, () => call('DELETE', at('/window'))).then(() => void (current = '')),
    })

    return {
      engine: 'webkit',
      version: `WebKitGTK ${session.capabilities.browserVersion}`,
      tab: tabOf(current),
      newTab: async () => tabOf((await inTab(current, () => call<{ handle: string }>('POST', at('/window/new'), { type: 'tab' }))).handle),
      // The cookies of the document in the current tab, which is on the fixture origin.
      cookies: async () =>
        (await inTab(current, () => call<{ name: string; value: string; expiry?: number; sameSite?: string }[]>('GET', at('/cookie')))).map(
          ({ name, value, expiry, sameSite }) => ({ name, value, expires: expiry, sameSite }),
        ),
      end: () => call('DELETE', at('')).then(() => undefined),
    }
  }

  return {
    open,
    close: async () => {
      server.kill()
      await exited
    },
  }
}
