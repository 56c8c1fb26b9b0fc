#!/usr/bin/env node
// Fills the two publishable packages, packages/esputnik-tracker and
// packages/esputnik-relay, from the root build (dist/, bin/, LICENSE). Each
// folder's package.json is that package's one manifest; after this script the
// folder is what `npm pack` and `npm publish` take as it is. The root
// package.json is private and never published. `npm run build` runs this last.
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

/** What each package takes from the root, by the same relative path (so dist/relay/config.js finds ../../dist/esputnik-tracker.min.js in both). */
export const CONTENTS = {
  'esputnik-tracker': ['dist/esputnik-tracker.min.js', 'dist/index.mjs', 'dist/index.cjs', 'dist/index.d.mts', 'dist/index.d.cts'],
  // The relay's own copy of the script-tag build is what it serves at /sdk.js.
  'esputnik-relay': ['dist/relay', 'dist/wire', 'dist/esputnik-tracker.min.js', 'bin/esputnik-relay.mjs'],
}

/** Written here by this script (ignored by git), so removed before each fill. */
const GENERATED = ['dist', 'bin', 'LICENSE']

/** Source maps stay out of the packages: the relay's point at src/*.ts, which is not shipped. */
const shipped = (path) => !path.endsWith('.map')

export function buildPackages() {
  for (const [name, paths] of Object.entries(CONTENTS)) {
    const dir = join(root, 'packages', name)
    for (const path of GENERATED) rmSync(join(dir, path), { recursive: true, force: true })
    for (const path of [...paths, 'LICENSE']) {
      const from = join(root, path)
      if (!existsSync(from)) throw new Error(`${path} is missing: run \`npm run build\` (it builds it, then fills packages/)`)
      mkdirSync(dirname(join(dir, path)), { recursive: true })
      cpSync(from, join(dir, path), { recursive: true, filter: shipped })
    }
  }
}

if (process.argv[1] == fileURLToPath(import.meta.url)) {
  try {
    buildPackages()
    console.log(`packages/: ${Object.keys(CONTENTS).join(', ')} filled from dist/`)
  } catch (error) {
    console.error(`build-packages: ${error.message}`)
    process.exit(1)
  }
}
