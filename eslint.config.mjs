// ESLint (flat config): typescript-eslint's recommended rules without type information (fast:
// the whole tree in a few seconds), no default exports, no explicit `any` in src/, the layering
// of src/ (README "Layout") as an allow-list per folder, and the one write door.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * What each folder of src/ may import, by folder name ('vscode' for the editor API); anything
 * else of src/ is refused. Layers point one way: commands → documents, tree → records → sites →
 * api. src/commandIds.ts and src/lifecycle/ import nothing of the project's, so every layer may
 * import them; src/extension.ts only wires and may import any layer.
 */
const MAY_IMPORT = {
  api: [],
  // The plan, the runner and the outcomes are plain; bulkJobs.ts (its documents) is the vscode half.
  bulk: ['api', 'sites'],
  export: ['api', 'sites'],
  logging: ['vscode', 'api'],
  messages: ['vscode', 'api', 'sites'],
  sites: ['vscode', 'api', 'logging'],
  records: ['vscode', 'api', 'bulk', 'sites'],
  status: ['vscode', 'sites'],
  insights: ['vscode', 'api', 'messages', 'records', 'sites'],
  tree: ['vscode', 'api', 'messages', 'records', 'sites'],
  documents: ['vscode', 'api', 'messages', 'records', 'sites'],
  // The table (issue 20) edits records like the documents do and lists them as the tree does.
  table: ['vscode', 'api', 'documents', 'messages', 'records', 'sites', 'tree'],
  // Agent tools (issue 21) read like the commands and write only by proposing through documents/table.
  agent: ['vscode', 'api', 'bulk', 'documents', 'insights', 'messages', 'records', 'sites', 'table', 'tree'],
  commands: ['vscode', 'agent', 'api', 'bulk', 'documents', 'export', 'insights', 'messages', 'records', 'sites', 'table', 'tree'],
};
/** Files of a plain folder that are its vscode half, with what they may import besides. */
const VSCODE_HALF = { 'bulk/bulkJobs.ts': ['vscode', 'messages'] };
/** Folders every layer may import: they import nothing of the project's. */
const OPEN_TO_ALL = ['lifecycle', 'webview'];
const FOLDERS = Object.keys(MAY_IMPORT);

/**
 * The write door: a site's writes are asked for (`connections.writes(…)`) in the record service
 * alone, and only src/sites/ builds clients and their write gate. Every create, update and delete
 * therefore goes through src/records/recordService.ts.
 */
const WRITE_DOOR = [
  { selector: "CallExpression > MemberExpression.callee[property.name='writes']", message: 'Only src/records/recordService.ts asks for a site\'s writes: write through the record service.' },
  { selector: "CallExpression[callee.name=/^(guardWrites|createSiteApi)$/]", message: 'Site clients and their write gate are built in src/sites/siteConnections.ts only.' },
];

/** `export default`, `export { x as default }` and `export =`: every module exports by name. */
const NO_DEFAULT_EXPORT = [
  { selector: 'ExportDefaultDeclaration', message: 'Export by name: no default exports.' },
  { selector: 'ExportSpecifier[exported.name="default"]', message: 'Export by name: no default exports.' },
  { selector: 'TSExportAssignment', message: 'Export by name: no `export =`.' },
];

/** A relative specifier that lands in src/<folder>/ from a file one or more levels below src/. */
const intoFolder = (folder) => `^(?:\\.\\./)+${folder}(?:/|$)`;

/** The import rules of files in `layer` that may import `allowed`; `writeDoor`: whether the write-door rule applies. */
function layerRules(files, layer, allowed, writeDoor = true) {
  const forbidden = [...(allowed.includes('vscode') ? [] : ['vscode']), ...FOLDERS.filter((f) => f !== layer && !allowed.includes(f) && !OPEN_TO_ALL.includes(f))];
  const why = (target) =>
    target === 'vscode'
      ? `src/${layer} is shared with plain-Node tools and tests: it never imports vscode.`
      : `src/${layer} may import only ${allowed.filter((a) => a !== 'vscode').join(', ') || 'nothing of src/'} (layering: see MAY_IMPORT in eslint.config.mjs), not src/${target}.`;
  return {
    files,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: forbidden.filter((t) => t === 'vscode').map((name) => ({ name, message: why(name) })),
          patterns: forbidden.filter((t) => t !== 'vscode').map((target) => ({ regex: intoFolder(target), message: why(target) })),
        },
      ],
      // The same for import(...), which no-restricted-imports does not see.
      'no-restricted-syntax': [
        'error',
        ...NO_DEFAULT_EXPORT,
        ...(writeDoor ? WRITE_DOOR : []),
        ...forbidden.map((target) => ({
          selector: `ImportExpression > Literal.source[value=/${target === 'vscode' ? '^vscode$' : intoFolder(target).replaceAll('/', '\\/')}/]`,
          message: why(target),
        })),
      ],
    },
  };
}

function isolated(files, regex) {
  const message = 'Imported by every layer, src/api included: it imports nothing from the rest of src/, nor vscode.';
  return {
    files,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [{ name: 'vscode', message }], patterns: [{ regex, message }] }] },
  };
}

export default defineConfig(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-output/**', '.vscode-test/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'no-restricted-syntax': ['error', ...NO_DEFAULT_EXPORT],
      // `catch {}` where a failure only means "nothing to do" (a process already gone, a missing log).
      'no-empty': ['error', { allowEmptyCatch: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    files: ['src/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...NO_DEFAULT_EXPORT, ...WRITE_DOOR] },
  },
  ...Object.entries(MAY_IMPORT).map(([layer, allowed]) => layerRules([`src/${layer}/**/*.ts`], layer, allowed)),
  ...Object.entries(VSCODE_HALF).map(([file, extra]) => layerRules([`src/${file}`], file.split('/')[0], [...MAY_IMPORT[file.split('/')[0]], ...extra])),
  // The door itself: the record service asks for writes; connections build the gated clients.
  layerRules(['src/records/recordService.ts'], 'records', MAY_IMPORT.records, false),
  layerRules(['src/sites/siteConnections.ts'], 'sites', MAY_IMPORT.sites, false),
  // Modules every layer may import (src/commandIds.ts: data; src/lifecycle/: the Disposable
  // base) import nothing of the project's, and no vscode.
  isolated(['src/commandIds.ts'], '^\\.'),
  isolated(['src/lifecycle/**/*.ts'], '^\\.\\./'),
  // Click Insights' ranges, aggregates, fetch, CSV and messages are plain TypeScript (unit-tested in
  // Node; the webview bundle imports the messages): no vscode, and nothing from commands/.
  {
    files: ['src/insights/click{Range,Aggregates,Fetch}.ts', 'src/insights/insights{Protocol,Csv}.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'Plain TypeScript, shared with unit tests and the webview: no vscode.' }], patterns: [{ regex: intoFolder('commands'), message: 'src/insights must not import from src/commands.' }] },
      ],
    },
  },
  {
    // Findings in files other people were changing when the linter came in; each is theirs to
    // fix, and then to drop from here (an unneeded entry does not fail the run, so check).
    // `let entries: fs.Dirent[] = []; try { entries = … }` and `let text = ''` before a loop.
    files: ['test/e2e/liveSafety.e2e.ts', 'test/e2e/workbench.ts'],
    rules: { 'no-useless-assignment': 'off' },
  },
  {
    // Config files are loaded by their tools as default exports.
    files: ['eslint.config.mjs'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
