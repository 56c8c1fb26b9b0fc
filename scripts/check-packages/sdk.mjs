// The packed esputnik-tracker as a user meets it: its file list, an install
// into an empty project, import and require under Node (SSR), types for ESM
// and CJS consumers, and arethetypeswrong on the tarball.
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { assert, npm, root, run, runOk } from './lib.mjs'

/** Everything the SDK tarball may hold, and must: builds, public types, README, license. */
export const SDK_FILES = [
  'LICENSE',
  'README.md',
  'dist/esputnik-tracker.min.js',
  'dist/index.cjs',
  'dist/index.d.cts',
  'dist/index.d.mts',
  'dist/index.mjs',
  'package.json',
]

export function checkSdkFiles(pack) {
  const files = pack.files.map((file) => file.path).sort()
  const extra = files.filter((file) => !SDK_FILES.includes(file))
  const missing = SDK_FILES.filter((file) => !files.includes(file))
  assert(extra.length == 0 && missing.length == 0, `the SDK tarball's files differ from the allowlist: extra ${extra.join(', ') || 'none'}; missing ${missing.join(', ') || 'none'}`)
}

export async function installSdk(app, tarball) {
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'sdk-consumer', version: '1.0.0', private: true }, null, 2))
  await npm(['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: app })
}

/** The installed tree: exactly esputnik-tracker and js-cookie, nothing nested. Returns `npm ls --all` for the log. */
export async function checkSdkTree(app) {
  const modules = readdirSync(join(app, 'node_modules')).filter((name) => !name.startsWith('.'))
  assert(JSON.stringify(modules.sort()) == '["esputnik-tracker","js-cookie"]', `node_modules of an SDK install holds ${modules.join(', ')}, not just esputnik-tracker and js-cookie`)
  const { stdout } = await npm(['ls', '--all', '--json'], { cwd: app })
  const tree = JSON.parse(stdout).dependencies
  const sdk = tree['esputnik-tracker']
  assert(Object.keys(tree).join() == 'esputnik-tracker', `the project's dependencies are ${Object.keys(tree).join(', ')}`)
  assert(Object.keys(sdk.dependencies ?? {}).join() == 'js-cookie', `esputnik-tracker brings ${Object.keys(sdk.dependencies ?? {}).join(', ') || 'nothing'}, not just js-cookie`)
  assert(!sdk.dependencies['js-cookie'].dependencies, 'js-cookie brings packages of its own')
  return (await npm(['ls', '--all'], { cwd: app })).stdout.trim()
}

/**
 * Under Node there is no browser: createTracker gives a tracker that does
 * nothing and throws nothing. The script calls every helper, then checks at
 * process exit that no request was made and no global was added; a tracker
 * that had scheduled a send would keep the process alive until its timer ran,
 * so "exit" sees every send it would ever make.
 */
const SSR_SCRIPT = (load) => `${load}
const before = Object.keys(globalThis)
const requests = []
globalThis.fetch = (...args) => { requests.push(args); return Promise.reject(new Error('no network in this check')) }
const tracker = createTracker({ endpoint: 'https://relay.example', debug: true })
const ids = [...EVENT_TYPES.map((type) => tracker[type]({ productId: 'WS01', price: 1, products: [], search: 'x', productCategoryId: 'c' })),
  tracker.subscribe({ email: 'ann@example.com' }), tracker.identify({ externalCustomerId: 'c-42', signature: 'x' }),
  tracker.reset(), tracker.cart.reset()]
tracker.optIn(); tracker.optOut()
tracker.flush().then(() => {
  if (!Object.isFrozen(tracker)) throw new Error('the tracker is not frozen')
  if (ids.some((id) => id !== '')) throw new Error('helpers returned ids: ' + ids)
  if (typeof window != 'undefined') throw new Error('window was defined')
})
process.on('exit', () => {
  const added = Object.keys(globalThis).filter((key) => !before.includes(key))
  if (requests.length) { console.error(requests.length + ' requests under Node'); process.exitCode = 1 }
  else if (added.length) { console.error('globals added: ' + added); process.exitCode = 1 }
  else console.log('inert: ' + ids.length + ' helper calls, no request, no global, visitorId ' + JSON.stringify(tracker.visitorId))
})
`

export async function checkSsr(app) {
  writeFileSync(join(app, 'ssr.mjs'), SSR_SCRIPT(`import { createTracker, EVENT_TYPES } from 'esputnik-tracker'`))
  writeFileSync(join(app, 'ssr.cjs'), SSR_SCRIPT(`const { createTracker, EVENT_TYPES } = require('esputnik-tracker')`))
  const lines = []
  for (const file of ['ssr.mjs', 'ssr.cjs']) {
    const { stdout } = await runOk(process.execPath, [file], { cwd: app, timeoutMs: 15_000 })
    lines.push(`${file}: ${stdout.trim()}`)
  }
  return lines
}

const CONSUMERS = {
  'consumer.cts': `import esputnik = require('esputnik-tracker')
const tracker: esputnik.Tracker = esputnik.createTracker({ endpoint: 'https://relay.example' })
const id: string = tracker.productViewed({ productId: 'WS01', price: 45.5, isInStock: true })
// @ts-expect-error endpoint is required: real types, not any
esputnik.createTracker({})
export = { tracker, id }
`,
  'consumer.mts': `import { createTracker, type Tracker } from 'esputnik-tracker'
const tracker: Tracker = createTracker({ endpoint: 'https://relay.example' })
export const id: string = tracker.productViewed({ productId: 'WS01', price: 45.5, isInStock: true })
// @ts-expect-error endpoint is required: real types, not any
createTracker({})
`,
}

/** TypeScript users of both module kinds under module node16, with the repository's TypeScript. */
export async function checkConsumerTypes(app) {
  for (const [file, text] of Object.entries(CONSUMERS)) writeFileSync(join(app, file), text)
  const compilerOptions = { module: 'node16', moduleResolution: 'node16', target: 'ES2022', lib: ['ES2022', 'DOM'], strict: true, noEmit: true, types: [], skipLibCheck: false }
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: Object.keys(CONSUMERS) }, null, 2))
  const result = await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: app })
  assert(result.code === 0, `TypeScript consumers (module node16) of the installed SDK fail to typecheck:\n${result.stdout}${result.stderr}`)
}

/**
 * arethetypeswrong: each entry point's types resolve, and match the module
 * kind, under node10, node16 (ESM and CJS) and bundlers. The script-tag build
 * is left out: a classic script with no exports, so it has no types to check.
 */
export async function checkAttw(tarball) {
  const flags = ['--format', 'table-flipped', '--no-color', '--no-emoji', '--exclude-entrypoints', './esputnik-tracker.min.js']
  const result = await run(join(root, 'node_modules/.bin/attw'), [tarball, ...flags])
  assert(result.code === 0, `arethetypeswrong finds problems in the SDK tarball:\n${result.stdout}${result.stderr}`)
  return result.stdout.trim()
}
