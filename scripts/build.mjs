// Bundles src/cli.ts and its dependencies into one ESM file: one module to load makes startup fast.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minifyWhitespace: false,
  sourcemap: false,
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
  // Ink loads react-devtools-core only when DEV=true; it is not shipped.
  external: ['react-devtools-core'],
  // Bundled CommonJS dependencies (pidusage) call require(): give the ESM bundle one.
  banner: {
    js: "import { createRequire as __devrunCreateRequire } from 'node:module'; const require = __devrunCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
