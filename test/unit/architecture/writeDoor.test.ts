import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '../../../..');

/** The project's own lint configuration, run on a snippet as if it were the file at `file`. */
async function lintAs(file: string, text: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(text, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).map((m) => m.message);
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('One write door: only the record service reaches a site\'s writes', function () {
  // ESLint loads typescript-eslint on first use: a few seconds.
  this.timeout(60_000);

  const asking = "export async function go(connections: { writes(site: string): Promise<unknown> }): Promise<unknown> {\n  return connections.writes('site');\n}\n";

  for (const file of ['src/commands/recordCommands.ts', 'src/bulk/bulkRunner.ts', 'src/documents/recordStore.ts', 'src/tree/recordsTreeModel.ts', 'src/extension.ts', 'src/records/deletionJournal.ts']) {
    it(`lint refuses asking for a site's writes in ${file}`, async () => {
      const messages = await lintAs(file, asking);
      assert.ok(messages.some((m) => m.includes('write through the record service')), `lint said: ${JSON.stringify(messages)}`);
    });
  }

  it('lint lets the record service ask for them', async () => {
    assert.deepEqual(await lintAs('src/records/recordService.ts', asking), []);
  });

  it('lint refuses building a client or a write gate outside src/sites/siteConnections.ts', async () => {
    const building = "import { guardWrites } from '../sites/writeGate';\nexport const g = guardWrites;\nexport function b(): unknown {\n  return guardWrites(undefined as never, () => undefined, async () => true);\n}\n";
    const messages = await lintAs('src/documents/recordStore.ts', building);
    assert.ok(messages.some((m) => m.includes('built in src/sites/siteConnections.ts only')), JSON.stringify(messages));
  });

  it("in the source as it is, only src/records/recordService.ts calls `.writes(`", () => {
    const callers = sourceFiles(path.join(ROOT, 'src'))
      .filter((file) => /\.writes\(/.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(ROOT, file).split(path.sep).join('/'));
    assert.deepEqual(callers, ['src/records/recordService.ts']);
  });

  it('what connections hand out to everyone else has no write methods, at run time too', () => {
    // The reads view is built field by field in siteConnections.ts: no update, create or delete in it.
    const text = fs.readFileSync(path.join(ROOT, 'src/sites/siteConnections.ts'), 'utf8');
    const view = text.slice(text.indexOf('function readsOf('));
    const body = view.slice(0, view.indexOf('\n}\n'));
    assert.ok(body.includes('listPage') && body.includes('get:'), body);
    for (const write of ['update', 'create', 'delete']) assert.ok(!new RegExp(`\\b${write}\\b`).test(body), `readsOf exposes ${write}`);
  });
});

describe('Layers as an allow-list (eslint.config.mjs MAY_IMPORT)', function () {
  this.timeout(60_000);

  const cases: [file: string, specifier: string, allowed: boolean][] = [
    ['src/api/x.ts', '../sites/siteApi', false],
    ['src/api/x.ts', 'vscode', false],
    ['src/bulk/x.ts', '../export/exportFile', false],
    ['src/bulk/x.ts', '../insights/clickFetch', false],
    ['src/bulk/x.ts', 'vscode', false],
    ['src/bulk/bulkJobs.ts', 'vscode', true],
    ['src/api/x.ts', '../bulk/bulkPlan', false],
    ['src/tree/x.ts', '../commands/commandArgs', false],
    ['src/tree/x.ts', '../documents/recordStore', false],
    ['src/sites/x.ts', '../records/recordService', false],
    ['src/records/x.ts', '../documents/recordStore', false],
    ['src/documents/x.ts', '../records/recordService', true],
    ['src/commands/x.ts', '../records/recordService', true],
    ['src/tree/x.ts', '../lifecycle/disposable', true],
  ];
  for (const [file, specifier, allowed] of cases) {
    it(`${file} ${allowed ? 'may' : 'may not'} import ${specifier}`, async () => {
      const messages = await lintAs(file, `import * as m from '${specifier}';\nexport const x = m;\n`);
      const refused = messages.some((m) => m.includes('may import only') || m.includes('never imports vscode'));
      assert.equal(!refused, allowed, JSON.stringify(messages));
    });
  }
});
