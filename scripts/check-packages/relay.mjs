// The packed esputnik-relay as an operator meets it: installed from its
// tarball into an empty folder (dependencies from the registry, better-sqlite3
// built from source), `npx esputnik-relay --help`, and the relay booted on
// SQLite, answering /healthz and serving its own copy of the SDK at /sdk.js.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { assert, cleanEnv, freePort, npm, runOk, waitForStatus } from './lib.mjs'

/** Files the relay tarball must hold; everything else must sit under bin/ or dist/relay, dist/wire. */
const RELAY_REQUIRED = ['LICENSE', 'README.md', 'package.json', 'bin/esputnik-relay.mjs', 'dist/esputnik-tracker.min.js', 'dist/relay/main.js']
const RELAY_ALLOWED = /^(bin\/esputnik-relay\.mjs|dist\/(relay|wire)\/.+\.js|dist\/esputnik-tracker\.min\.js|LICENSE|README\.md|package\.json)$/

export function checkRelayFiles(pack) {
  const files = pack.files.map((file) => file.path)
  const missing = RELAY_REQUIRED.filter((file) => !files.includes(file))
  const stray = files.filter((file) => !RELAY_ALLOWED.test(file))
  assert(missing.length == 0, `the relay tarball lacks ${missing.join(', ')}`)
  assert(stray.length == 0, `the relay tarball holds files it does not run: ${stray.join(', ')}`)
}

export async function installRelay(app, tarball) {
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'relay-host', version: '1.0.0', private: true }, null, 2))
  // better-sqlite3's prebuilt download is unreachable here: node-gyp builds it (about 75 s).
  await npm(['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: app, timeoutMs: 600_000 })
  assert(existsSync(join(app, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node')), 'better-sqlite3 installed without its native module')
}

export async function checkHelp(app) {
  const { stdout } = await runOk('npx', ['esputnik-relay', '--help'], { cwd: app, timeoutMs: 60_000 })
  assert(stdout.includes('Usage: esputnik-relay'), `npx esputnik-relay --help printed no usage:\n${stdout}`)
  return stdout.split('\n')[0]
}

/** Stops the relay with SIGTERM, as a service manager does; resolves its exit code. */
function stop(child, exited) {
  if (child.exitCode !== null || child.signalCode !== null) return exited
  child.kill('SIGTERM')
  const kill = setTimeout(() => child.kill('SIGKILL'), 10_000)
  return exited.finally(() => clearTimeout(kill))
}

/** `esputnik-relay` with no arguments serves: on SQLite in the temp folder, on a free port. */
export async function checkBoot(app) {
  const port = await freePort()
  const sqlitePath = join(app, 'data', 'check.db')
  const env = cleanEnv({ PORT: String(port), HOST: '127.0.0.1', SQLITE_PATH: sqlitePath, LOG_LEVEL: 'info' })
  // The relay's settings come from this check alone: no key (the sandbox), SQLite, development mode.
  for (const name of Object.keys(env)) if (/^(ESPUTNIK|DATABASE|UPSTREAM|SANDBOX|SDK)_|^NODE_ENV$/.test(name)) delete env[name]
  const child = spawn(join(app, 'node_modules/.bin/esputnik-relay'), [], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)))
  try {
    const base = `http://127.0.0.1:${port}`
    const health = await waitForStatus(`${base}/healthz`, 200, { stillRunning: () => child.exitCode === null })
    const body = await health.text()
    const sdk = await fetch(`${base}/sdk.js`)
    const shipped = readFileSync(join(app, 'node_modules/esputnik-relay/dist/esputnik-tracker.min.js'), 'utf8')
    assert(sdk.status == 200 && (await sdk.text()) == shipped, `/sdk.js answered ${sdk.status}, not the package's own dist/esputnik-tracker.min.js`)
    assert(existsSync(sqlitePath), `the relay did not open its SQLite store at ${sqlitePath}`)
    const code = await stop(child, exited)
    assert(code === 0, `the relay exited ${code} on SIGTERM`)
    return `/healthz 200 ${body}; /sdk.js ${shipped.length} B; SQLite at ${sqlitePath}; SIGTERM → exit ${code}`
  } catch (error) {
    await stop(child, exited)
    error.message += `\nrelay output:\n${output}`
    throw error
  }
}
