// Static checks of the two package folders before they are packed: one
// publishable manifest per name, dependencies pinned as the root pins them,
// and every import of the shipped code satisfied inside the package.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { assert, importsOf, packageOf, root, runOk } from './lib.mjs'

export const PACKAGES = {
  'esputnik-tracker': 'packages/esputnik-tracker',
  'esputnik-relay': 'packages/esputnik-relay',
}

const readJson = (path) => JSON.parse(readFileSync(join(root, path), 'utf8'))

/** Every file under a package folder's generated parts (what `files` can pick from). */
function shippedJs(dir) {
  const files = []
  for (const part of ['bin', 'dist']) {
    const base = join(root, dir, part)
    if (!existsSync(base)) continue
    for (const entry of readdirSync(base, { recursive: true })) {
      const path = join(base, entry)
      if (statSync(path).isFile() && /\.(c|m)?js$/.test(path)) files.push(path)
    }
  }
  return files
}

async function checkOneManifestPerName() {
  const rootManifest = readJson('package.json')
  assert(rootManifest.private === true, 'the root package.json must be private: it is the repository, not a package')
  assert(!(rootManifest.name in PACKAGES), `the root package.json is named ${rootManifest.name}, a package's name`)
  const { stdout } = await runOk('git', ['ls-files', '--cached', '--others', '--exclude-standard'])
  const manifests = stdout.split('\n').filter((path) => /(^|\/)package\.json$/.test(path))
  for (const [name, dir] of Object.entries(PACKAGES)) {
    const publishable = manifests.filter((path) => {
      const manifest = readJson(path)
      return manifest.name == name && manifest.private !== true
    })
    assert(
      publishable.length == 1 && publishable[0] == `${dir}/package.json`,
      `${name} must have exactly one publishable manifest, ${dir}/package.json; found: ${publishable.join(', ') || 'none'}`,
    )
  }
}

function checkDependencies() {
  const pinned = readJson('package.json').dependencies
  const tracker = readJson(`${PACKAGES['esputnik-tracker']}/package.json`)
  const relay = readJson(`${PACKAGES['esputnik-relay']}/package.json`)
  assert(
    JSON.stringify(tracker.dependencies) == JSON.stringify({ 'js-cookie': pinned['js-cookie'] }),
    `esputnik-tracker's only dependency must be js-cookie ${pinned['js-cookie']} (as the root pins it); it has ${JSON.stringify(tracker.dependencies)}`,
  )
  for (const manifest of [tracker, relay]) {
    for (const field of ['peerDependencies', 'optionalDependencies', 'bundleDependencies', 'scripts']) {
      assert(!manifest[field], `${manifest.name} must have no ${field}: an install of it runs and brings only its dependencies`)
    }
  }
  for (const [name, version] of Object.entries(relay.dependencies)) {
    assert(pinned[name] == version, `esputnik-relay pins ${name} ${version}, the root ${pinned[name] ?? 'does not depend on it'}`)
  }
  return { tracker, relay }
}

/** Each bare import is a declared dependency, each relative import a file of the package, each dependency imported. */
function checkImports(name, manifest) {
  const dir = PACKAGES[name]
  const declared = new Set(Object.keys(manifest.dependencies ?? {}))
  const used = new Set()
  for (const file of shippedJs(dir)) {
    const where = relative(join(root, dir), file)
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) {
        assert(existsSync(join(dirname(file), specifier)), `${name}: ${where} imports ${specifier}, which the package does not contain`)
      } else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier)) {
        const dependency = packageOf(specifier)
        assert(declared.has(dependency), `${name}: ${where} imports ${specifier}; add ${dependency} to ${dir}/package.json "dependencies" (the root's version)`)
        used.add(dependency)
      }
    }
  }
  const unused = [...declared].filter((dependency) => !used.has(dependency))
  assert(unused.length == 0, `${name} depends on ${unused.join(', ')}, which its code never imports`)
}

export async function checkManifests() {
  await checkOneManifestPerName()
  const { tracker, relay } = checkDependencies()
  checkImports('esputnik-tracker', tracker)
  checkImports('esputnik-relay', relay)
}
