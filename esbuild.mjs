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
};

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', plugins: [lazyBoundaries] },
  ...[...LAZY].map(([name, source]) => ({ ...common, entryPoints: [source], outfile: `dist/${name}.js`, plugins: [lazyBoundaries] })),
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
