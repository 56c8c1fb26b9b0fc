import resolve from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'
import typescript from '@rollup/plugin-typescript'
import { dts } from 'rollup-plugin-dts'

/**
 * Property names that cross the script tag's boundary, which the minifier must
 * not rename. Everything else it may shorten; terser's own list keeps the
 * DOM's and the language's names. A stored record must read back in the next
 * version, and what the page, the relay or js-cookie spell must stay spelt so.
 */
const RESERVED = {
  // TrackerOptions (the data-* attributes of the tag, src/sdk/options.ts)
  options: ['endpoint', 'cookieName', 'cookieDomain', 'cookieDays', 'autoPageViews', 'spa', 'currencyCode', 'consent',
    'respectGPC', 'debug', 'onError', 'flushInterval', 'batchSize', 'maxQueueEvents', 'maxQueueBytes'],
  // The tracker and the stub (src/sdk/types.ts, src/sdk/snippet.ts)
  tracker: ['pageViewed', 'productViewed', 'productCategoryViewed', 'cartUpdated', 'productAddedToWishlist',
    'productImpressions', 'searchRequest', 'track', 'purchased', 'telegramLink', 'subscribe', 'identify', 'visitorId',
    'cart', 'id', 'reset', 'flush',
    'optIn', 'optOut', 'q', 'tracker', 'esputnik'],
  // What onError receives (TrackerError)
  errors: ['method', 'reason', 'id', 'ids'],
  // The wire format and the relay's answers (src/wire/types.ts)
  wire: ['v', 'visitor', 'events', 'type', 'ts', 'url', 'data', 'recycleStateId', 'accepted', 'rejected', 'error'],
  // A stored request in localStorage (Stored, src/sdk/queue.ts)
  storage: ['p', 'b', 'n', 'c', 'l', 'f'],
  // js-cookie's API, which CookieJar mirrors (src/sdk/cookie-jar.ts)
  cookies: ['get', 'set', 'remove', 'expires', 'path', 'domain', 'sameSite', 'secure'],
  // Browser APIs newer than terser's list of DOM names
  browser: ['globalPrivacyControl', 'locks', 'ifAvailable', 'randomUUID', 'keepalive', 'sendBeacon'],
}

/**
 * What the minifier renames: names used only inside the script. terser keeps
 * any name on its DOM list (`get`, `take`, `release`, `flush`…) as it is, so
 * the internal interfaces (Queue, Identity, Sender) use names on no such list
 * and shrink to a letter. A renamed name in neither list fails the build, so
 * a new option or wire field cannot lose its spelling unnoticed.
 */
const INTERNAL = ['leave', 'keep', 'claim', 'settle', 'unlease', 'wipe', 'current', 'renew', 'erase', 'drain']

const nameCache = {}

/** Fails the build when the minifier renamed a property that is in neither RESERVED nor INTERNAL. */
const checkRenamed = {
  name: 'check-renamed-properties',
  generateBundle() {
    const renamed = Object.keys(nameCache.props?.props ?? {}).map((key) => key.slice(1))
    const unknown = renamed.filter((name) => !INTERNAL.includes(name))
    if (unknown.length) {
      this.error(
        `terser would rename ${unknown.join(', ')}: add each to RESERVED in rollup.config.mjs if it crosses the ` +
          `script's boundary (an option, the tracker, the wire, storage), else to INTERNAL`,
      )
    }
  },
}

// ES2021 keeps `||=` and `??=` short; every browser with fetch keepalive has it.
// The `unsafe` steps assume built-ins are not patched, which holds for what
// the SDK calls (JSON, String, Date, Math); `pure_getters` is left off
// because `tracker.cart.id` is a getter that stores the cart id.
// `booleans_as_integers` writes true/false as 1/0 and compares with them by
// `==`: no literal boolean of the SDK reaches JSON or the page, and the browser
// API it passes one to (`ifAvailable`) takes any truthy value.
// `unsafe_methods` turns `key: () => …` into `key() {…}`, which differs only
// for `new` and `this`, and no helper is constructed or reads `this`.
const minify = terser({
  ecma: 2021,
  compress: {
    passes: 3,
    unsafe_arrows: true,
    unsafe: true,
    unsafe_comps: true,
    unsafe_methods: true,
    booleans_as_integers: true,
  },
  mangle: { properties: { reserved: Object.values(RESERVED).flat() } },
  format: { comments: false },
  nameCache,
})

export default [
  {
    // Script tag: one self-contained file, with its own small cookie jar instead of js-cookie (src/sdk/cookie-jar.ts).
    input: 'src/sdk/snippet.ts',
    output: { file: 'dist/esputnik-tracker.min.js', format: 'iife', strict: false, plugins: [minify, checkRenamed] },
    plugins: [resolve(), typescript({ tsconfig: './tsconfig.build.json', declaration: false })],
  },
  {
    // npm: ESM and CJS for bundlers, js-cookie left to the app's bundler, plus types.
    input: 'src/sdk/index.ts',
    external: ['js-cookie'],
    output: [
      { file: 'dist/index.mjs', format: 'es' },
      { file: 'dist/index.cjs', format: 'cjs' },
    ],
    plugins: [typescript({ tsconfig: './tsconfig.build.json', declaration: true, declarationDir: 'dist/types' })],
  },
  {
    // The public types as one file per module format, so that `import` and
    // `require` consumers under moduleResolution node16 each get types of their
    // own kind (packages/esputnik-tracker/package.json, "exports").
    input: 'src/sdk/index.ts',
    external: ['js-cookie'],
    output: [
      { file: 'dist/index.d.mts', format: 'es' },
      { file: 'dist/index.d.cts', format: 'es' },
    ],
    plugins: [dts({ tsconfig: './tsconfig.build.json' })],
  },
]
