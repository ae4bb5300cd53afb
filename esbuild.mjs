// The bundles: dist/extension.js, loaded at activation, registers the tree, the file system
// provider and every command id; every module some src/ file loads with import() is a bundle of
// its own (dist/<name>.js), read on first use: a command's feature (commands/commandFeatures.ts),
// the API clients with zod and undici (siteApi), Export's core (exportCore). Boundaries follow
// import() calls, not file names: test/unit/bundles checks what each bundle holds.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
/** `--outdir DIR` builds into DIR instead of dist/ (test/unit/bundles.test.ts builds into a temporary folder). */
const outdirAt = process.argv.indexOf('--outdir');
const out = outdirAt >= 0 ? process.argv[outdirAt + 1] : 'dist';
if (!out) throw new Error('--outdir needs a folder');

/** Every module loaded with import('./…') somewhere in src/: its source file and its bundle's name. */
function lazyModules() {
  const found = new Map();
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.ts')) {
        for (const [, specifier] of fs.readFileSync(file, 'utf8').matchAll(/\bimport\(\s*'(\.{1,2}\/[^']+)'\s*\)/g)) {
          const source = path.resolve(path.dirname(file), specifier) + '.ts';
          const name = path.basename(specifier);
          if (found.has(name) && found.get(name) !== source) throw new Error(`Two lazily loaded modules are both named ${name}: ${found.get(name)} and ${source}`);
          found.set(name, source);
        }
      }
    }
  };
  walk('src');
  return found;
}
const LAZY = lazyModules();

/** import('./x') stays a runtime require of the bundle dist/x.js, which the extension host resolves next to the caller. */
const lazyBoundaries = {
  name: 'lazy-boundaries',
  setup(build) {
    build.onResolve({ filter: /^\.{1,2}\// }, (args) => (args.kind === 'dynamic-import' ? { path: `./${path.basename(args.path)}.js`, external: true } : undefined));
  },
};

/**
 * Binds `vscode` once per bundle. Every src file does `import * as vscode from 'vscode'`, and for
 * each such import of an external CommonJS module esbuild's interop (__toESM) copies every
 * property of VS Code's API object (~350) as a getter when the file loads: ~40 ms of activation.
 * Here `vscode` resolves to one ES module that re-exports the real one: the copy is made once,
 * and the files import that module's namespace, which esbuild binds without copying.
 */
const vscodeOnce = {
  name: 'vscode-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: "export * from 'vscode';", loader: 'js', resolveDir: '.' }));
  },
};

/**
 * undici as its authors split it, for what src/api uses (Pool and its request()): its index.js
 * loads every dispatcher, fetch, WebSocket, the mock and cache layers (~520 KiB minified).
 * `Pool.request` is one of the methods undici's index.js puts on Dispatcher.prototype; this
 * puts that one there. An import of anything else from 'undici' fails the build (no such export).
 */
const undiciNarrow = {
  name: 'undici-narrow',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({ path: 'undici', namespace: 'undici-narrow' }));
    build.onLoad({ filter: /^undici$/, namespace: 'undici-narrow' }, () => ({
      contents: [
        "import Pool from 'undici/lib/dispatcher/pool.js';",
        "import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';",
        "import request from 'undici/lib/api/api-request.js';",
        "import errors from 'undici/lib/core/errors.js';",
        'Dispatcher.prototype.request = request;',
        'export { Pool, errors };',
      ].join('\n'),
      loader: 'js',
      resolveDir: import.meta.dirname,
    }));
    // HTTP/2 is used only when TLS negotiates it, and undici offers it only with allowH2 (off
    // here: requestLayer.ts does not set it). Its module loads node:http2 (~30 ms on the first request).
    build.onResolve({ filter: /\/client-h2\.js$/ }, (args) =>
      args.importer.endsWith('client.js') ? { path: 'client-h2', namespace: 'undici-narrow' } : undefined,
    );
    build.onLoad({ filter: /^client-h2$/, namespace: 'undici-narrow' }, () => ({
      contents: "module.exports = function connectH2() { throw new Error('HTTP/2 was negotiated, but undici was built here without it (allowH2 is off)'); };",
      loader: 'js',
    }));
    // undici's HTTP parser comes as WebAssembly twice: with SIMD (what Node on VS Code's platforms
    // runs) and without, the fallback where SIMD fails or UNDICI_NO_WASM_SIMD=1. The fallback
    // (~70 KiB) goes to its own file, dist/llhttp-wasm.js, required only then.
    build.onResolve({ filter: /\/llhttp\/llhttp-wasm\.js$/ }, (args) =>
      args.importer.endsWith('client-h1.js') ? { path: './llhttp-wasm.js', external: true } : undefined,
    );
  },
};

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  minify: production,
  sourcemap: true,
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
  // import() becomes require(), which the extension host resolves next to dist/extension.js.
  supported: { 'dynamic-import': false },
  plugins: [vscodeOnce],
};

const builds = [
  // package.json's main: loads dist/extension.js with V8's code cache (src/main.ts).
  { ...common, entryPoints: ['src/main.ts'], outfile: `${out}/main.js`, plugins: [vscodeOnce, lazyBoundaries] },
  { ...common, entryPoints: ['src/extension.ts'], outfile: `${out}/extension.js`, plugins: [vscodeOnce, lazyBoundaries] },
  // undiciNarrow matters only to the bundle that imports undici (siteApi).
  ...[...LAZY].map(([name, source]) => ({ ...common, entryPoints: [source], outfile: `${out}/${name}.js`, plugins: [vscodeOnce, lazyBoundaries, undiciNarrow] })),
  { ...common, entryPoints: ['node_modules/undici/lib/llhttp/llhttp-wasm.js'], outfile: `${out}/llhttp-wasm.js` },
  // The Click Insights webview: a browser script (no Node, no eval) and its style, loaded by the panel from dist/.
  { bundle: true, format: 'iife', platform: 'browser', target: 'es2022', minify: production, metafile: true, logLevel: 'warning', entryPoints: ['media/clickInsights/main.ts'], outfile: `${out}/clickInsights.js` },
  { bundle: true, minify: production, metafile: true, logLevel: 'warning', entryPoints: ['media/clickInsights/style.css'], outfile: `${out}/clickInsights.css` },
  // The table's webview: React and react-data-grid; the grid's style and the table's, imported by
  // the script, come out beside it as dist/tableWebview.css (linked by the page, no inline style).
  {
    bundle: true, format: 'iife', platform: 'browser', target: 'es2022', minify: production, metafile: true, logLevel: 'warning', jsx: 'automatic',
    define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
    entryPoints: ['media/table/main.tsx'], outfile: `${out}/tableWebview.js`,
  },
];

/** JSON Schemas for the record documents, generated from the zod value schema and the descriptors. */
async function writeJsonSchemas() {
  const { outputFiles } = await esbuild.build({ ...common, entryPoints: ['src/api/jsonSchemas.ts'], write: false, minify: false, sourcemap: false, metafile: false });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', outputFiles[0].text)(module, module.exports, createRequire(import.meta.url));
  fs.mkdirSync(`${out}/schemas`, { recursive: true });
  const schemas = module.exports.allJsonSchemas();
  for (const [name, schema] of Object.entries(schemas)) fs.writeFileSync(`${out}/schemas/${name}`, JSON.stringify(schema, null, 2) + '\n');
  console.log(`${out}/schemas: ${Object.keys(schemas).length} JSON schemas`);
}

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  for (const options of builds) {
    const result = await esbuild.build(options);
    const bytes = fs.statSync(options.outfile).size;
    // What went into each bundle, for test/unit/bundles.test.ts and for a look (esbuild's analyser reads it too).
    fs.writeFileSync(options.outfile.replace(/([^/]+)\.\w+$/, 'meta-$1.json'), JSON.stringify(result.metafile));
    console.log(`${options.outfile}: ${(bytes / 1024).toFixed(1)} KiB${production ? ' (minified)' : ''}`);
  }
  await writeJsonSchemas();
}
