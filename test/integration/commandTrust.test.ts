// Issue 16, case 3: a public command must never trust its arguments to skip a question. Any
// extension or command link can run directoryRecords.deleteAllMatching (and the others) with
// `{ confirmed: true }`; outside the test harness that must still ask.
//
// The extension host running these tests is in ExtensionMode.Test, where the commands accept
// the tests' programmatic options. What a normal install (ExtensionMode.Production) does with
// the same call is run through `testing.runAsInProduction` from the extension's exports, which
// exists only in Test mode: it hands the arguments to the same handlers, parsed as the
// registered commands parse them in Production mode. Before that hook existed, the fallback
// (executeCommand) is what any other extension gets, which is what this test shows failing.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { CommandId } from '../../src/commandIds';
import type { ResourceNode, SiteNode } from '../../src/tree/treeNodes';
import { watchDialogs, type WatchedDialogs } from './support/dialogs';
import { apiRequests, children, closeAllEditors, control, extensionExports, records, resource, sandboxSite, settle, useFreshSandbox } from './support/world';

const SITE = 'Trust BD';

type Run = (command: string, ...args: unknown[]) => Thenable<unknown>;

/** The commands as a normal install runs them (see the file's comment). */
async function asInProduction(): Promise<Run> {
  const { testing } = await extensionExports();
  return testing ? (command, ...args) => testing.runAsInProduction(command as CommandId, ...args) : vscode.commands.executeCommand;
}

/** Runs a command that may open a quick pick or input box, closing each until the command ends. */
async function runClosingPrompts(run: Run, command: string, ...args: unknown[]): Promise<unknown> {
  let settled = false;
  const result = Promise.resolve(run(command, ...args)).finally(() => (settled = true));
  for (let i = 0; i < 100 && !settled; i++) {
    await new Promise((r) => setTimeout(r, 200));
    if (!settled) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  }
  assert.ok(settled, `${command} did not end after its prompts were closed`);
  return result;
}

const writes = async (): Promise<string[]> => (await apiRequests()).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);

describe('Command arguments outside the test harness (issue 16, case 3)', function () {
  this.timeout(60_000);
  let dialogs: WatchedDialogs | undefined;

  before(async () => {
    await useFreshSandbox([sandboxSite(SITE, 'brilliantDirectories')]);
    const config = vscode.workspace.getConfiguration('directoryRecords');
    const sites = config.get<{ name: string }[]>('sites', []).map((s) => (s.name === SITE ? { ...s, writeProfile: 'confirm', requestsPerMinute: 1000 } : s));
    await config.update('sites', sites, vscode.ConfigurationTarget.Global);
    await settle();
  });

  afterEach(async () => {
    dialogs?.restore();
    dialogs = undefined;
    await closeAllEditors();
    // Each test starts from the seed data, unfiltered, whatever the one before did.
    await vscode.commands.executeCommand('directoryRecords.clearFilter', await resource(SITE, 'Contacts'));
    await control().reset();
    await vscode.commands.executeCommand('directoryRecords.refresh');
    await settle();
  });

  after(async () => {
    await vscode.commands.executeCommand('directoryRecords.removeSite', SITE, { confirmed: true });
  });

  it('the in-host harness runs the extension in ExtensionMode.Test: the production hook is there', async () => {
    assert.ok((await extensionExports()).testing, 'no testing hook: the extension is not in Test mode under this harness');
  });

  it('Delete All Matching with { confirmed: true } on a confirm site asks, and Cancel deletes nothing', async () => {
    const run = await asInProduction();
    const contacts = await resource(SITE, 'Contacts');
    await vscode.commands.executeCommand('directoryRecords.filter', contacts, { field: 'contact_id', operator: 'lte', value: '3' });
    assert.equal((await records(contacts)).length, 3);
    await control().clearRequests();
    dialogs = watchDialogs();
    await runClosingPrompts(run, 'directoryRecords.deleteAllMatching', contacts, { confirmed: true });
    const asked = dialogs.shown.filter((m) => m.modal);
    assert.equal(asked.length, 1, `one question before deleting; shown: ${JSON.stringify(dialogs.shown)}`);
    assert.match(asked[0]!.message, /Delete: 3 of 3 contacts on "Trust BD"\?/);
    assert.deepEqual(await writes(), [], 'nothing deleted');
  });

  it('Set Field on All Matching with { field, value, confirmed: true } asks for the field itself and sends nothing', async () => {
    const run = await asInProduction();
    const contacts = await resource(SITE, 'Contacts');
    await control().clearRequests();
    dialogs = watchDialogs();
    await runClosingPrompts(run, 'directoryRecords.setFieldAllMatching', contacts, { field: 'company', value: 'Taken Over', confirmed: true });
    assert.deepEqual(await writes(), [], 'nothing sent: the prompts were closed');
  });

  it('Delete (one record) and Remove Site with { confirmed: true } ask, and Cancel keeps both', async () => {
    const run = await asInProduction();
    const contacts = await resource(SITE, 'Contacts');
    const [first] = await records(contacts);
    assert.ok(first);
    // On a normal site Delete asks itself (a confirm site's write gate would ask otherwise).
    const config = vscode.workspace.getConfiguration('directoryRecords');
    await config.update('sites', config.get<{ name: string }[]>('sites', []).map((s) => (s.name === SITE ? { ...s, writeProfile: undefined } : s)), vscode.ConfigurationTarget.Global);
    await control().clearRequests();
    dialogs = watchDialogs();
    assert.notEqual(await runClosingPrompts(run, 'directoryRecords.deleteRecord', first, { confirmed: true }), true);
    assert.ok(dialogs.shown.some((m) => m.modal && /^Delete contact /.test(m.message)), `Delete asked; shown: ${JSON.stringify(dialogs.shown)}`);
    const site: SiteNode = { type: 'site', site: SITE };
    await runClosingPrompts(run, 'directoryRecords.removeSite', site, { confirmed: true });
    assert.ok(dialogs.shown.some((m) => m.modal && m.message === `Remove "${SITE}"?`), `Remove Site asked; shown: ${JSON.stringify(dialogs.shown)}`);
    assert.deepEqual(await writes(), [], 'nothing deleted');
    assert.ok(vscode.workspace.getConfiguration('directoryRecords').get<{ name: string }[]>('sites', []).some((s) => s.name === SITE), 'the site is kept');
    assert.ok((await children()).some((n) => n.type === 'site' && n.site === SITE));
    const kept: ResourceNode = await resource(SITE, 'Contacts');
    assert.ok((await records(kept)).some((r) => r.id === first.id), 'the record is kept');
  });
});
