import resolve from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'
import typescript from '@rollup/plugin-typescript'

// Property names that stay inside the SDK (queue items, options) are left as
// they are: mangling them would break localStorage written by an older build.
const minify = terser({
  ecma: 2020,
  compress: { passes: 3, unsafe: true, unsafe_arrows: true, unsafe_methods: true, pure_getters: true },
  format: { comments: false },
})

export default [
  {
    // Script tag: one self-contained file, js-cookie inside.
    input: 'src/sdk/snippet.ts',
    output: { file: 'dist/esputnik-tracker.min.js', format: 'iife', plugins: [minify] },
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
]
