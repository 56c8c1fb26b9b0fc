import resolve from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'
import typescript from '@rollup/plugin-typescript'
import { dts } from 'rollup-plugin-dts'

// ES2021 keeps `||=` and `??=` short; every browser with fetch keepalive has it.
// Property names are left alone: items written to localStorage by one version
// must read back in the next.
const minify = terser({
  ecma: 2021,
  compress: { passes: 3, unsafe_arrows: true },
  format: { comments: false },
})

export default [
  {
    // Script tag: one self-contained file, js-cookie inside.
    input: 'src/sdk/snippet.ts',
    output: { file: 'dist/esputnik-tracker.min.js', format: 'iife', strict: false, plugins: [minify] },
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
