import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startSandbox } from '../../sandbox/server';

// What each bundle holds, read from esbuild's metafile (what the build writes beside each bundle):
// the production build of esbuild.mjs, into a temporary folder so dist/ is left alone.

/** out/test/unit → the repository root. */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const KB = 1000;

interface Metafile {
  readonly outputs: Record<string, { readonly bytes: number; readonly inputs: Record<string, { readonly bytesInOutput: number }>; readonly imports: readonly { readonly path: string; readonly external?: boolean }[] }>;
}

describe('The bundles (production build, esbuild metafile)', function () {
  // A production build of every bundle: a few seconds on an idle machine, more on a busy one.
  this.timeout(120_000);
  let dir: string;
  let bundle: (name: string) => { bytes: number; inputs: string[]; externals: string[]; text: string };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'directory-records-bundles-'));
    await promisify(execFile)(process.execPath, ['esbuild.mjs', '--production', '--outdir', dir], { cwd: ROOT });
    bundle = (name) => {
      const meta = JSON.parse(fs.readFileSync(path.join(dir, `meta-${name}.json`), 'utf8')) as Metafile;
      const [output] = Object.entries(meta.outputs).filter(([file]) => file.endsWith('.js')).map(([, o]) => o);
      assert.ok(output, `meta-${name}.json names no .js output`);
      return {
        bytes: output.bytes,
        // Files esbuild read but tree-shaking dropped whole are listed with 0 bytes: they are not in the bundle.
        inputs: Object.entries(output.inputs).filter(([, i]) => i.bytesInOutput > 0).map(([file]) => file),
        externals: output.imports.filter((i) => i.external).map((i) => i.path),
        text: fs.readFileSync(path.join(dir, `${name}.js`), 'utf8'),
      };
    };
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('dist/extension.js holds none of zod, undici, csv-* and loads vscode once', () => {
    const extension = bundle('extension');
    assert.deepEqual(extension.inputs.filter((file) => /node_modules\/(zod|undici|csv-parse|csv-stringify)\//.test(file)), []);
    assert.ok(extension.inputs.some((file) => file.startsWith('src/tree/')), 'the metafile lists the extension\'s own files');
    // esbuild's CommonJS interop copies every property of an imported module per `import * as`: once, not per file.
    assert.equal(extension.text.split('require("vscode")').length - 1, 1);
    assert.ok(extension.externals.includes('./siteApi.js'), 'the API clients stay lazy');
    assert.ok(bundle('exportCommands').externals.includes('./exportCore.js'), 'the export core is required by the export feature, on the first export');
    assert.ok(extension.bytes <= 500 * KB, `${extension.bytes} bytes`);
  });

  it('dist/extension.js loads no feature: every command feature, the panels, the bulk runner and the clients are bundles of their own', () => {
    const extension = bundle('extension');
    const features = [/^src\/commands\/(site|browse|record|bulk|export|insights|utility|saveHistory)Commands\.ts$/, /^src\/commands\/(addSite|editSite|setField)\//, /^src\/commands\/(findRecord|listingPrompts)\.ts$/, /^src\/bulk\/bulkRunner\.ts$/, /^src\/insights\/click(InsightsPanel|Fetch|Aggregates)\.ts$/, /^src\/export\//, /^src\/api\/(bdClient|copernicaClient|requestLayer|schemas)\.ts$/];
    assert.deepEqual(extension.inputs.filter((file) => features.some((feature) => feature.test(file))), []);
    for (const lazy of ['siteCommands', 'browseCommands', 'recordCommands', 'bulkCommands', 'exportCommands', 'insightsCommands', 'utilityCommands', 'saveHistoryCommands', 'clickInsightsPanel', 'bulkRunner', 'siteApi']) {
      assert.ok(extension.externals.includes(`./${lazy}.js`), `the extension requires ./${lazy}.js on first use`);
      assert.ok(bundle(lazy).inputs.length > 0, `dist/${lazy}.js was built`);
    }
    // A feature bundle holds its feature: Add Site's steps are in the site commands' bundle.
    assert.ok(bundle('siteCommands').inputs.some((file) => file.startsWith('src/commands/addSite/')));
  });

  it('dist/extension.js leaves the record editor\'s helpers (date hover, Read-only lens, problems, first-edit hint) to dist/recordEditorFeatures.js', () => {
    const extension = bundle('extension');
    const helpers = ['src/documents/dateHover.ts', 'src/documents/readOnlyLens.ts', 'src/documents/recordDiagnostics.ts', 'src/documents/saveHint.ts'];
    assert.deepEqual(extension.inputs.filter((file) => helpers.includes(file)), []);
    assert.ok(extension.externals.includes('./recordEditorFeatures.js'));
    assert.deepEqual(helpers.filter((file) => !bundle('recordEditorFeatures').inputs.includes(file)), []);
  });

  it('dist/extension.js registers the agent tools and the MCP provider without their code: the tools, zod and the MCP SDK load on first use', () => {
    const extension = bundle('extension');
    assert.deepEqual(extension.inputs.filter((file) => file.startsWith('src/agent/')).sort(), ['src/agent/agentRegistration.ts', 'src/agent/toolNames.ts']);
    assert.deepEqual(extension.inputs.filter((file) => file.includes('node_modules/@modelcontextprotocol/')), []);
    assert.ok(extension.externals.includes('./agentTools.js') && extension.externals.includes('./mcpServer.js'));
    assert.ok(bundle('agentTools').inputs.includes('src/agent/toolCore.ts'));
    assert.ok(bundle('mcpServer').inputs.some((file) => file.includes('node_modules/@modelcontextprotocol/sdk/')));
  });

  it('dist/siteApi.js holds zod\'s English words only, one llhttp parser, and stays light', () => {
    const siteApi = bundle('siteApi');
    assert.deepEqual(siteApi.inputs.filter((file) => file.includes('node_modules/zod/') && file.includes('/locales/') && !file.endsWith('/locales/en.js')), []);
    assert.ok(siteApi.inputs.includes('node_modules/zod/v4/locales/en.js'), 'the English messages are in');
    assert.deepEqual(siteApi.inputs.filter((file) => /node_modules\/zod\/v4\/classic\//.test(file)), [], 'zod/mini, not classic zod');
    assert.deepEqual(siteApi.inputs.filter((file) => /llhttp.*-wasm\.js$/.test(file)), ['node_modules/undici/lib/llhttp/llhttp_simd-wasm.js']);
    assert.deepEqual(siteApi.inputs.filter((file) => /node_modules\/undici\/lib\/(mock|cache|interceptor|web\/websocket|web\/eventsource)\//.test(file)), [], 'undici\'s Pool alone');
    assert.ok(siteApi.externals.includes('./llhttp-wasm.js'), 'the parser without SIMD is required from its own file');
    assert.deepEqual(siteApi.inputs.filter((file) => file.endsWith('client-h2.js')), [], 'no HTTP/2 client (allowH2 is off)');
    assert.ok(!siteApi.externals.includes('node:http2'), 'node:http2 is not loaded');
    assert.ok(siteApi.bytes <= 360 * KB, `${siteApi.bytes} bytes`);
  });

  it('every script the build writes is packaged (.vscodeignore)', () => {
    // The lines that take files of dist/ back in, as patterns (`*` is any name within the folder).
    const packaged = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n').filter((line) => line.startsWith('!dist/')).map((line) => new RegExp(`^${line.slice('!dist/'.length).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^/]*')}$`));
    const built = fs.readdirSync(dir).filter((file) => /\.(js|css)$/.test(file));
    assert.ok(built.length >= 10, built.join(', '));
    assert.deepEqual(built.filter((file) => !packaged.some((pattern) => pattern.test(file))), []);
    // Metafiles and source maps stay out.
    assert.deepEqual(fs.readdirSync(dir).filter((file) => /\.(json|map)$/.test(file) && packaged.some((pattern) => pattern.test(file))), []);
  });

  it('dist/siteApi.js answers from the sandbox, and so it does with the parser without SIMD', async () => {
    const sandbox = await startSandbox();
    try {
      // A fresh Node each time: undici picks its parser once per process, on the first request.
      const script = `
        const api = require(${JSON.stringify(path.join(dir, 'siteApi.js'))}).createSiteApi({ kind: 'brilliantDirectories', url: process.argv[1], secret: process.argv[2], rateLimit: null, log: () => {} });
        const contacts = api.resources.find((r) => r.model === 'contacts');
        api.listPage(contacts, { pageSize: 5 }).then(async (page) => {
          const fallback = Object.keys(require.cache).some((file) => file.endsWith('llhttp-wasm.js'));
          console.log(JSON.stringify({ ids: page.records.map((r) => r.contact_id), total: page.total, fallback }));
          await api.dispose();
        });`;
      const run = async (env: NodeJS.ProcessEnv): Promise<{ ids: string[]; total: number; fallback: boolean }> =>
        JSON.parse((await promisify(execFile)(process.execPath, ['-e', script, sandbox.url, sandbox.bdKey], { env: { ...process.env, ...env } })).stdout) as { ids: string[]; total: number; fallback: boolean };
      const contacts = sandbox.store.rows('contacts').map((r) => String(r['contact_id'])).sort((a, b) => Number(b) - Number(a));
      const simd = await run({ UNDICI_NO_WASM_SIMD: '0' });
      assert.deepEqual(simd, { ids: contacts.slice(0, 5), total: contacts.length, fallback: false });
      const plain = await run({ UNDICI_NO_WASM_SIMD: '1' });
      assert.deepEqual(plain, { ids: contacts.slice(0, 5), total: contacts.length, fallback: true });
    } finally {
      await sandbox.close();
    }
  });
});
