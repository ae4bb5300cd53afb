// Two bundles: the extension (loaded at activation) and the API clients with zod and undici
// (dist/siteApi.js), loaded on the first request so activation stays cheap.
import * as esbuild from 'esbuild';

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
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', plugins: [lazySiteApi] },
  { ...common, entryPoints: ['src/sites/siteApi.ts'], outfile: 'dist/siteApi.js' },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  for (const options of builds) {
    const result = await esbuild.build(options);
    const bytes = result.metafile.outputs[options.outfile]?.bytes ?? 0;
    console.log(`${options.outfile}: ${(bytes / 1024).toFixed(1)} KiB${production ? ' (minified)' : ''}`);
  }
}
