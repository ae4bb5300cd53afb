// Issue 17, item 1: every command behaves from every place it is contributed, whatever
// argument VS Code passes there. Each contributed command (read from package.json) is called
// with nothing, a tree node of the kind its menus show it on, a record document's URI and an
// unrelated object: each starts its normal flow (its quick picks and input boxes are closed as
// a person pressing Escape would, its messages and dialogs answered with no button: see
// support/dialogs.ts) or does nothing, and none fails: no error message, no `[error]` line in
// the log, no rejected promise.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { parseCommandArgs } from '../../src/commands/commandArgs';
import type { TreeNode } from '../../src/tree/treeNodes';
import { watchDialogs, type WatchedDialogs } from './support/dialogs';
import { children, closeAllEditors, extensionExports, item, openRecord, records, resource, sandboxSite, settle, useFreshSandbox, EXTENSION_ID } from './support/world';

const SITE = 'Args BD';

interface Manifest {
  contributes: {
    commands: { command: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
  };
}

function manifest(): Manifest {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension);
  return extension.packageJSON as Manifest;
}

/** The `viewItem =~ /…/` and `viewItem == …` conditions of a command's tree menu entries. */
function viewItemTests(command: string): ((contextValue: string) => boolean)[] {
  return (manifest().contributes.menus['view/item/context'] ?? [])
    .filter((entry) => entry.command === command && entry.when)
    .map((entry) => {
      const regex = /viewItem =~ \/((?:[^/\\]|\\.)*)\//.exec(entry.when!);
      if (regex) return (value: string) => new RegExp(regex[1]!).test(value);
      const equal = /viewItem == (\S+)/.exec(entry.when!);
      return (value: string) => equal !== null && value === equal[1];
    });
}

async function logErrors(): Promise<string[]> {
  const { logUri } = await extensionExports();
  const text = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(logUri, 'Directory Records.log'))).toString('utf8');
  return text.split('\n').filter((line) => /\[error\]/.test(line));
}

/**
 * Runs the command with `args` and closes whatever quick pick or input box it opens until it
 * ends (a flow of several prompts stops at the first closed one). Returns how it ended.
 */
async function runClosingPrompts(command: string, args: unknown[]): Promise<{ error?: unknown }> {
  let settled = false;
  let error: unknown;
  const run = Promise.resolve(vscode.commands.executeCommand(command, ...args)).then(
    () => (settled = true),
    (e: unknown) => {
      settled = true;
      error = e;
    },
  );
  for (let i = 0; i < 75 && !settled; i++) {
    await new Promise((r) => setTimeout(r, 200));
    if (!settled) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  }
  if (!settled) return { error: new Error('did not end after its prompts were closed (15 s)') };
  await run;
  return error === undefined ? {} : { error };
}

describe('Every command, from every place (issue 17, item 1)', function () {
  this.timeout(120_000);
  let dialogs: WatchedDialogs | undefined;
  let candidates: TreeNode[] = [];
  let uri: vscode.Uri;

  before(async () => {
    await useFreshSandbox([sandboxSite(SITE, 'brilliantDirectories')]);
    const config = vscode.workspace.getConfiguration('directoryRecords');
    await config.update('sites', config.get<{ name: string }[]>('sites', []).map((s) => (s.name === SITE ? { ...s, requestsPerMinute: 1000 } : s)), vscode.ConfigurationTarget.Global);
    await settle();
    const site = (await children()).find((n) => n.type === 'site' && n.site === SITE);
    assert.ok(site);
    const resources = await children(site);
    const contacts = await resource(SITE, 'Contacts');
    const notifications = await resource(SITE, 'Website Notifications');
    const contactRows = await records(contacts);
    const notificationRows = await records(notifications);
    const loadMore = (await children(contacts)).filter((n) => n.type === 'loadMore');
    // Every kind of row the menus name: the site, each resource, a contact, an unread and a viewed notification, Load more.
    candidates = [site, ...resources, ...contactRows.slice(0, 1), ...notificationRows.filter((n) => n.type === 'record' && n.record['notification_view'] === '0').slice(0, 1), ...notificationRows.filter((n) => n.type === 'record' && n.record['notification_view'] === '1').slice(0, 1), ...loadMore];
    uri = (await openRecord(SITE, 'contacts', contactRows[0]!.id)).uri;
  });

  beforeEach(async () => {
    // The editor title passes the active record's URI; the record is open as it would be there.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    dialogs = watchDialogs();
  });

  afterEach(async () => {
    dialogs?.restore();
    dialogs = undefined;
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });

  after(async () => {
    await closeAllEditors();
    await vscode.commands.executeCommand('directoryRecords.removeSite', SITE, { confirmed: true });
  });

  for (const { command } of manifest().contributes.commands) {
    it(`${command}: with nothing, a node of its menus, a URI and { foo: 1 }, it runs or does nothing, and nothing fails`, async () => {
      const tests = viewItemTests(command);
      let node: TreeNode | undefined;
      for (const candidate of candidates) {
        const contextValue = (await item(candidate)).contextValue ?? '';
        if (tests.some((test) => test(contextValue))) {
          node = candidate;
          break;
        }
      }
      // A command with no tree menu still gets the focused row from a view's title bar.
      node ??= candidates[0];
      const before = (await logErrors()).length;
      const failures: string[] = [];
      for (const [what, args] of [['nothing', []], [`a ${node!.type} node`, [node]], ['a URI', [uri]], ['{ foo: 1 }', [{ foo: 1 }]]] as const) {
        const shownBefore = dialogs!.shown.length;
        const { error } = await runClosingPrompts(command, [...args]);
        if (error) failures.push(`${what}: threw ${String(error)}`);
        for (const shown of dialogs!.shown.slice(shownBefore).filter((m) => m.severity === 'error')) failures.push(`${what}: showed the error "${shown.message}"`);
      }
      await new Promise((r) => setTimeout(r, 300));
      const logged = (await logErrors()).slice(before);
      assert.deepEqual([...failures, ...logged.map((line) => `logged ${line}`)], []);
    });
  }
});

describe('parseCommandArgs: what a command reads of its arguments', () => {
  const site = { type: 'site', site: 'S' } as const;
  const contacts = { type: 'resource', site: 'S', model: 'contacts' } as const;
  const record = { type: 'record', site: 'S', model: 'contacts', id: '7', record: { contact_id: '7' } } as const;
  const uri = vscode.Uri.parse('directory-records:/S/contacts/7.json');
  const { Production, Test } = vscode.ExtensionMode;

  it('in a normal install, keeps the row, the selection or the URI, and drops every other argument', () => {
    assert.deepEqual(parseCommandArgs([contacts, { confirmed: true }], Production), { node: contacts, given: [] });
    assert.deepEqual(parseCommandArgs([record, [record, record], { confirmed: true, field: 'city', value: 'X' }], Production), { node: record, selection: [record, record], given: [] });
    assert.deepEqual(parseCommandArgs([uri, { confirmed: true }], Production), { uri, given: [] });
    assert.deepEqual(parseCommandArgs([{ kind: 'brilliantDirectories', name: 'N', url: 'http://x', key: 'k' }], Production), { given: [] });
    assert.deepEqual(parseCommandArgs(['S', { confirmed: true }], Production), { given: [] }, 'a name is not a row outside tests');
    assert.deepEqual(parseCommandArgs([7, { confirmed: true }], Production), { given: [] });
  });

  it('takes only well-formed rows: an unrelated object, an unknown resource or a half record is nothing', () => {
    assert.deepEqual(parseCommandArgs([{ foo: 1 }], Production), { given: [] });
    assert.deepEqual(parseCommandArgs([{ type: 'resource', site: 'S', model: 'nope' }], Production), { given: [] });
    assert.deepEqual(parseCommandArgs([{ type: 'record', site: 'S', model: 'contacts', id: '7' }], Production), { given: [] });
    assert.deepEqual(parseCommandArgs([site, [site, { foo: 1 }]], Production), { node: site, given: [] }, 'a selection with a stranger in it is no selection');
  });

  it('passes a listing filter after a row (Click Insights opens a day this way), in any mode', () => {
    const listing = { kind: 'bd', filters: [{ field: 'user_id', operator: 'eq', value: '1' }] };
    assert.deepEqual(parseCommandArgs([contacts, listing], Production), { node: contacts, listing, given: [] });
  });

  it('reads a record named plainly, { site, resource, id } (the table opens Show Save History so), in any mode; a half or unknown one is nothing', () => {
    assert.deepEqual(parseCommandArgs([{ site: 'S', resource: 'contacts', id: '7' }], Production), { record: { site: 'S', model: 'contacts', id: '7' }, given: [] });
    assert.deepEqual(parseCommandArgs([{ site: 'S', resource: 'contacts', id: '7' }, { confirmed: true }], Test), { record: { site: 'S', model: 'contacts', id: '7' }, given: [{ confirmed: true }] });
    assert.deepEqual(parseCommandArgs([{ site: 'S', resource: 'nope', id: '7' }], Production), { given: [] });
    // Without an id it names a resource (Open as Table, issue 20), not a record.
    assert.deepEqual(parseCommandArgs([{ site: 'S', resource: 'contacts' }], Production), { resource: { site: 'S', model: 'contacts' }, given: [] });
    assert.deepEqual(parseCommandArgs([{ site: 'S', resource: 'nope' }], Production), { given: [] });
  });

  it('under the test harness, also keeps the arguments after the target (the tests\' answers) and reads a name as a site', () => {
    assert.deepEqual(parseCommandArgs([contacts, { confirmed: true }], Test), { node: contacts, given: [{ confirmed: true }] });
    assert.deepEqual(parseCommandArgs(['S', 'key', { saveAnyway: true }], Test), { node: site, given: ['key', { saveAnyway: true }] });
    assert.deepEqual(parseCommandArgs([undefined, [record], { format: 'csv' }], Test), { selection: [record], given: [{ format: 'csv' }] });
    assert.deepEqual(parseCommandArgs([3, { confirmed: true }], Test), { given: [3, { confirmed: true }] });
  });
});
