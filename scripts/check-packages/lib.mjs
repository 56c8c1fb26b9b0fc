// Helpers of scripts/check-packages.mjs: child processes, npm with the user's
// npmrc, a free port, waiting on an HTTP answer.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('../..', import.meta.url))

export class CheckError extends Error {}

/** Fails the check with a sentence about what a user would see. */
export function assert(condition, message) {
  if (!condition) throw new CheckError(message)
}

/**
 * The environment for npm and the installed packages. The npm_* variables that
 * `npm run` sets for the repository (its local prefix, package name, lifecycle)
 * are dropped so the temp folder is a project of its own; the user's npmrc
 * (`nodedir=/usr`, which lets node-gyp build better-sqlite3 without downloading
 * Node headers) and cache are kept: by HOME, or the paths npm was given.
 */
export function cleanEnv(extra = {}) {
  const keep = new Set(['npm_config_userconfig', 'npm_config_globalconfig', 'npm_config_cache', 'npm_config_cafile'])
  const env = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(name) && !keep.has(name.toLowerCase())) continue
    env[name] = value
  }
  // Never fetch a package npx does not find installed.
  return { ...env, npm_config_yes: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...extra }
}

/** Runs a command to its end; resolves { code, stdout, stderr }, rejects after timeoutMs. */
export function run(command, args, { cwd = root, env = cleanEnv(), timeoutMs = 300_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new CheckError(`${command} ${args.join(' ')} did not finish within ${timeoutMs / 1000} s\n${stdout}${stderr}`))
    }, timeoutMs)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code: code ?? signal, stdout, stderr })
    })
  })
}

/** Like run, but a non-zero exit fails the check with the command's output. */
export async function runOk(command, args, options) {
  const result = await run(command, args, options)
  assert(result.code === 0, `\`${command} ${args.join(' ')}\` exited ${result.code}:\n${result.stdout}${result.stderr}`)
  return result
}

export const npm = (args, options) => runOk('npm', args, options)

export { freePort } from '../free-port.mjs'

/** Polls url until it answers `status` or deadlineMs passes; gives the last response or error. */
export async function waitForStatus(url, status, { deadlineMs = 20_000, stillRunning = () => true } = {}) {
  const until = Date.now() + deadlineMs
  let last
  while (Date.now() < until && stillRunning()) {
    try {
      const response = await fetch(url)
      if (response.status == status) return response
      last = `status ${response.status}`
    } catch (error) {
      last = error.cause?.code ?? error.message
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new CheckError(`${url} did not answer ${status} (last: ${last ?? 'the process exited'})`)
}

/** Prints one step's outcome and time; returns what the step returned. */
export async function step(name, fn, timings) {
  const started = performance.now()
  const result = await fn()
  const seconds = (performance.now() - started) / 1000
  timings.push([name, seconds])
  console.log(`ok  ${name} (${seconds.toFixed(1)} s)`)
  return result
}

/** The module specifiers (bare, relative or node:) a compiled JavaScript file imports or requires. */
export function importsOf(source) {
  const specifiers = new Set()
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/g
  for (const match of source.matchAll(pattern)) specifiers.add(match[1])
  return [...specifiers]
}

/** The package a bare specifier names: `@scope/name/sub` → `@scope/name`. */
export const packageOf = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/')
