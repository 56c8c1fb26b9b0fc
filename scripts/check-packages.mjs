#!/usr/bin/env node
// `npm run check:packages` (the last step of `npm test`): the two packages as
// their users get them. Packs packages/esputnik-tracker and
// packages/esputnik-relay (filled from dist/ by scripts/build-packages.mjs),
// installs each tarball into an empty folder of its own and runs it there.
// Needs a prior `npm run build`. KEEP_PACKAGE_CHECK=1 keeps the temp folders.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildPackages } from './build-packages.mjs'
import { CheckError, npm, root, step } from './check-packages/lib.mjs'
import { PACKAGES, checkManifests } from './check-packages/manifests.mjs'
import { checkBoot, checkHelp, checkRelayFiles, installRelay } from './check-packages/relay.mjs'
import { checkAttw, checkConsumerTypes, checkSdkFiles, checkSsr, checkSdkTree, installSdk } from './check-packages/sdk.mjs'

const started = performance.now()
const work = mkdtempSync(join(tmpdir(), 'esputnik-packages-'))
const timings = []
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`

async function pack(name) {
  const { stdout } = await npm(['pack', join(root, PACKAGES[name]), '--pack-destination', work, '--json'], { timeoutMs: 60_000 })
  const [result] = JSON.parse(stdout)
  console.log(`    ${result.filename}: ${result.entryCount} files, ${kb(result.size)} packed, ${kb(result.unpackedSize)} unpacked`)
  return { ...result, tarball: join(work, result.filename) }
}

try {
  await step('fill packages/ from dist/', () => buildPackages(), timings)
  await step('manifests: one publishable per name, dependencies as the root pins them, imports inside the package', checkManifests, timings)

  const sdk = await step('npm pack esputnik-tracker', () => pack('esputnik-tracker'), timings)
  console.log(sdk.files.map((file) => `      ${String(file.size).padStart(6)}  ${file.path}`).join('\n'))
  await step('SDK tarball: files match the allowlist', () => checkSdkFiles(sdk), timings)
  const sdkApp = join(work, 'sdk-app')
  mkdirSync(sdkApp)
  await step('SDK tarball installs into an empty project', () => installSdk(sdkApp, sdk.tarball), timings)
  const tree = await step('SDK install: node_modules is esputnik-tracker and js-cookie only', () => checkSdkTree(sdkApp), timings)
  console.log(tree.replace(/^/gm, '      '))
  const ssr = await step('SDK under Node: import and require give an inert tracker', () => checkSsr(sdkApp), timings)
  console.log(ssr.map((line) => `      ${line}`).join('\n'))
  await step('SDK types: .mts import and .cts import = require() typecheck under module node16', () => checkConsumerTypes(sdkApp), timings)
  const attw = await step('arethetypeswrong on the SDK tarball', () => checkAttw(sdk.tarball), timings)
  console.log(attw.replace(/^/gm, '      '))

  const relay = await step('npm pack esputnik-relay', () => pack('esputnik-relay'), timings)
  await step('relay tarball: runnable files only', () => checkRelayFiles(relay), timings)
  const relayApp = join(work, 'relay-app')
  mkdirSync(relayApp)
  await step('relay tarball installs into an empty folder (builds better-sqlite3)', () => installRelay(relayApp, relay.tarball), timings)
  const usage = await step('npx esputnik-relay --help', () => checkHelp(relayApp), timings)
  console.log(`      ${usage}`)
  const boot = await step('esputnik-relay serves on SQLite: /healthz 200, /sdk.js, stops on SIGTERM', () => checkBoot(relayApp), timings)
  console.log(`      ${boot}`)

  console.log(`both packages install and run (${((performance.now() - started) / 1000).toFixed(1)} s)`)
} catch (error) {
  console.error(`FAILED: ${error instanceof CheckError ? error.message : error.stack}`)
  process.exitCode = 1
} finally {
  if (process.env.KEEP_PACKAGE_CHECK) console.log(`temp folders kept in ${work}`)
  else rmSync(work, { recursive: true, force: true })
}
// The closing line CI reads: each step above is one check.
console.log(`check-packages: ${timings.length} passed, ${process.exitCode ? 1 : 0} failed`)
