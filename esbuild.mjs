// Two bundles: the extension (loaded at activation) and the API clients with zod and undici
// (dist/siteApi.js), loaded on the first request so activation stays cheap.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Keeps `import('./siteApi')` in the extension bundle as a runtime require of the second bundle. */
const lazySiteApi = {
  name: 'lazy-site-api',
  setup(build) {
    build.onResolve({ filter: /^\.\/siteApi$/ }, (args) =>
      args.importer.endsWith('siteConnections.ts') ? { path: './siteApi.js', external: true } : undefined,
    );
  },
};

/** The same for Export Records' core (csv-stringify, csv-parse): `import('../export/exportCore')` → dist/exportCore.js. */
const lazyExportCore = {
  name: 'lazy-export-core',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/export\/exportCore$/ }, (args) =>
      args.importer.endsWith('exportCommands.ts') ? { path: './exportCore.js', external: true } : undefined,
    );
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
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', plugins: [vscodeOnce, lazySiteApi, lazyExportCore] },
  { ...common, entryPoints: ['src/sites/siteApi.ts'], outfile: 'dist/siteApi.js' },
  { ...common, entryPoints: ['src/export/exportCore.ts'], outfile: 'dist/exportCore.js' },
  // The Click Insights webview: a browser script (no Node, no eval) and its style, loaded by the panel from dist/.
  { bundle: true, format: 'iife', platform: 'browser', target: 'es2022', minify: production, metafile: true, logLevel: 'warning', entryPoints: ['media/clickInsights/main.ts'], outfile: 'dist/clickInsights.js' },
  { bundle: true, minify: production, metafile: true, logLevel: 'warning', entryPoints: ['media/clickInsights/style.css'], outfile: 'dist/clickInsights.css' },
];

/** JSON Schemas for the record documents, generated from the zod value schema and the descriptors. */
async function writeJsonSchemas() {
  const { outputFiles } = await esbuild.build({ ...common, entryPoints: ['src/api/jsonSchemas.ts'], write: false, minify: false, sourcemap: false, metafile: false });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', outputFiles[0].text)(module, module.exports, createRequire(import.meta.url));
  fs.mkdirSync('dist/schemas', { recursive: true });
  const schemas = module.exports.allJsonSchemas();
  for (const [name, schema] of Object.entries(schemas)) fs.writeFileSync(`dist/schemas/${name}`, JSON.stringify(schema, null, 2) + '\n');
  console.log(`dist/schemas: ${Object.keys(schemas).length} JSON schemas`);
}

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  for (const options of builds) {
    const result = await esbuild.build(options);
    const bytes = result.metafile.outputs[options.outfile]?.bytes ?? 0;
    console.log(`${options.outfile}: ${(bytes / 1024).toFixed(1)} KiB${production ? ' (minified)' : ''}`);
  }
  await writeJsonSchemas();
}
