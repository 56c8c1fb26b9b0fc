#!/usr/bin/env node
// `npm start`: builds what is stale, then runs the demo shop with the relay
// and its sandbox on one origin (demo/server/main.ts, compiled to dist/demo).
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const at = (path) => join(root, path)

/** What `npm run build` makes; the demo server needs all of it. */
const OUTPUTS = ['dist/esputnik-tracker.min.js', 'dist/index.mjs', 'dist/relay/main.js', 'dist/demo/demo/server/main.js']
/** What it is made from. demo/public is served as it is, so it never needs a build. */
const INPUTS = ['src', 'demo/server', 'rollup.config.mjs', 'tsconfig.json', 'tsconfig.build.json', 'tsconfig.relay.json', 'tsconfig.demo.json']

const mtime = (path) => statSync(path).mtimeMs

function newestInput() {
  let newest = 0
  for (const input of INPUTS.map(at).filter(existsSync)) {
    const files = statSync(input).isDirectory() ? readdirSync(input, { recursive: true }).map((f) => join(input, f)) : [input]
    for (const file of files) newest = Math.max(newest, mtime(file))
  }
  return newest
}

function staleReason() {
  const missing = OUTPUTS.find((file) => !existsSync(at(file)))
  if (missing) return `${missing} is missing`
  if (newestInput() > Math.min(...OUTPUTS.map((file) => mtime(at(file))))) return 'the sources changed since the last build'
}

const reason = staleReason()
if (reason) {
  console.log(`esputnik-tracker demo: building first (${reason})…`)
  const npm = process.platform == 'win32' ? 'npm.cmd' : 'npm'
  const build = spawnSync(npm, ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) {
    console.error('esputnik-tracker demo: the build failed; see above')
    process.exit(build.status ?? 1)
  }
}

// In this process, so Ctrl-C and SIGTERM reach the server's own shutdown.
process.chdir(root)
await import(pathToFileURL(at('dist/demo/demo/server/main.js')).href)
