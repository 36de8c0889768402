// Bundles src/cli.ts and its dependencies into dist/cli.js: few modules to load make startup fast. The
// dashboard (Ink, React, yoga, xterm) is a separate chunk loaded only when it is shown, so headless
// runs, `check` and `run` never pay for it.

import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';

/**
 * ink 6.7-6.8 incremental rendering moves every frame one row down (fixed upstream only in ink 7,
 * which needs Node 22): the cursor must go up by the previous frame's line count. Patched here so the
 * bundle users run carries the fix; the build fails if the line is not found (an ink upgrade).
 */
const patchInkIncrementalRendering = {
  name: 'patch-ink-log-update',
  setup(b) {
    b.onLoad({ filter: /ink[\\/]build[\\/]log-update\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const broken = 'buffer.push(ansiEscapes.cursorUp(previousVisible - 1));';
      if (!source.includes(broken)) throw new Error(`ink log-update.js changed: re-check the incremental rendering patch (${args.path})`);
      return { contents: source.replace(broken, 'buffer.push(ansiEscapes.cursorUp(previousLines.length - 1));'), loader: 'js' };
    });
  },
};

/**
 * Modules of ink 6.8.0 replaced by ours (same results; the build fails on any other ink version):
 * - Output builds every frame from scratch (one object per cell, every line tokenized again):
 *   src/components/ink-row-output.ts redraws only the rows that changed.
 * - measure-text and wrap-text cache every text they ever saw, for good (a log shown for hours), and
 *   render-node-to-output measures (and squash-text-nodes sanitizes) every text of every frame:
 *   src/components/ink-text-caches.ts.
 */
const INK_REPLACEMENTS = [
  { importer: 'renderer.js', request: './output.js', path: 'src/components/ink-row-output.ts', name: 'default' },
  { importer: 'dom.js', request: './measure-text.js', path: 'src/components/ink-text-caches.ts', name: 'measureText' },
  { importer: 'dom.js', request: './wrap-text.js', path: 'src/components/ink-text-caches.ts', name: 'wrapText' },
  { importer: 'render-node-to-output.js', request: './wrap-text.js', path: 'src/components/ink-text-caches.ts', name: 'wrapText' },
  { importer: 'render-node-to-output.js', request: 'widest-line', path: 'src/components/ink-text-caches.ts', name: 'widestLine' },
  { importer: 'squash-text-nodes.js', request: './sanitize-ansi.js', path: 'src/components/ink-text-caches.ts', name: 'sanitizeAnsi' },
];

const replaceInkModules = {
  name: 'replace-ink-modules',
  setup(b) {
    const seen = new Set();
    b.onResolve({ filter: /^(\.\/(output|measure-text|wrap-text|sanitize-ansi)\.js|widest-line)$/ }, async (args) => {
      const inInk = args.importer.match(/[\\/]ink[\\/]build[\\/]([^\\/]+)$/);
      const replacement = inInk && INK_REPLACEMENTS.find((r) => r.importer === inInk[1] && r.request === args.path);
      if (!replacement) return undefined;
      const { version } = JSON.parse(await readFile(path.join(args.resolveDir, '..', 'package.json'), 'utf8'));
      if (version !== '6.8.0') throw new Error(`ink ${version}: re-check ${replacement.path} against ink/build/${args.path}`);
      seen.add(replacement);
      return { path: `${replacement.path}#${replacement.name}`, namespace: 'ink-replacement' };
    });
    // Ink imports each of them as its module's default export.
    b.onLoad({ filter: /.*/, namespace: 'ink-replacement' }, (args) => {
      const [file, name] = args.path.split('#');
      return {
        contents: `export { ${name} as default } from ${JSON.stringify(path.resolve(file))};`,
        loader: 'js',
        resolveDir: process.cwd(),
      };
    });
    // Every replacement must have been used: an import that moved would silently keep Ink's module.
    b.onEnd((result) => {
      if (result.errors.length > 0) return;
      const unused = INK_REPLACEMENTS.filter((r) => !seen.has(r));
      if (unused.length > 0) throw new Error(`ink imports changed: ${unused.map((r) => `${r.request} in ${r.importer}`).join(', ')}`);
    });
  },
};

/** Ink imports react-devtools-core only when DEV=true; the bundle gets an empty stand-in. */
const stubDevtools = {
  name: 'stub-react-devtools',
  setup(b) {
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents: 'export default { initialize() {}, connectToDevTools() {} };',
      loader: 'js',
    }));
  },
};

// Chunk names carry hashes: start from an empty dist so old chunks never ship.
await rm('dist', { recursive: true, force: true });

await build({
  entryPoints: ['src/cli.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  target: 'node20',
  format: 'esm',
  jsx: 'automatic',
  legalComments: 'none',
  // The production React build: the development one costs about 3x the CPU per render.
  define: { 'process.env.NODE_ENV': '"production"' },
  plugins: [patchInkIncrementalRendering, replaceInkModules, stubDevtools],
  // A native addon cannot be bundled: loaded from node_modules at run time, and optional (see pty-runner).
  external: ['@lydell/node-pty'],
  // Bundled CommonJS dependencies (pidusage) call require(): give the ESM bundle one.
  banner: {
    js: "import { createRequire as __devrunCreateRequire } from 'node:module'; const require = __devrunCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

/**
 * V8 keeps each module's source as a string for as long as it runs (functions compile lazily from it).
 * esbuild escapes non-ASCII characters in code but keeps them in the comments it carries over, and a
 * single one (a `↻` in a doc comment) makes the whole 1.1 MB source a two-byte string: 2.2 MB of heap
 * per chunk instead of 1.1. Comments are the only place left with any, so they are escaped there.
 */
async function asciiOnly(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    const source = await readFile(file, 'utf8');
    if (/[^\u0000-\u007f]/.test(source)) {
      await writeFile(
        file,
        source.replace(/[^\u0000-\u007f]/gu, (c) => `\\u{${c.codePointAt(0).toString(16)}}`),
      );
    }
  }
}

await asciiOnly('dist');
