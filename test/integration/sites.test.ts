import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { child, children, clearSites, closeAllEditors, control, item, labelOf, sandboxInfo, useSites } from './support/world';

describe('Adding and removing sites', function () {
  this.timeout(30_000);

  afterEach(async () => {
    await closeAllEditors();
    await clearSites();
  });

  it('Add Site checks the key, saves the site to settings and the key to secret storage only', async () => {
    const sb = sandboxInfo();
    await control().clearRequests();
    const name = await vscode.commands.executeCommand('directoryRecords.addSite', { kind: 'brilliantDirectories', name: 'Added', url: `${sb.url}/api/v2/`, key: sb.bdKey });
    assert.equal(name, 'Added');
    const verify = (await control().requests()).filter((r) => r.path === '/api/v2/token/verify');
    assert.equal(verify.length, 1, 'the key was verified before saving');
    const sites = vscode.workspace.getConfiguration('directoryRecords').inspect<unknown[]>('sites')!.globalValue;
    assert.deepEqual(sites, [{ name: 'Added', kind: 'brilliantDirectories', url: sb.url }], 'the URL is normalised; no key in settings');
    assert.doesNotMatch(JSON.stringify(vscode.workspace.getConfiguration('directoryRecords')), new RegExp(sb.bdKey));
    const contacts = await child(await child(undefined, 'Added'), 'Contacts');
    assert.equal((await children(contacts)).filter((n) => n.type === 'record').length, 25, 'the stored key is used');
  });

  it('Add Site refuses a key the site rejects, saying why', async () => {
    const sb = sandboxInfo();
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('directoryRecords.addSite', { kind: 'brilliantDirectories', name: 'Refused', url: sb.url, key: 'wrong' })).then((result) => {
        if (result === undefined) throw new Error('not added');
      }),
    );
    assert.equal(vscode.workspace.getConfiguration('directoryRecords').get<unknown[]>('sites', []).length, 0);
  });

  it('Add Site refuses plain http:// for a non-loopback address and a duplicate name', async () => {
    const sb = sandboxInfo();
    assert.equal(await vscode.commands.executeCommand('directoryRecords.addSite', { kind: 'brilliantDirectories', name: 'Plain', url: 'http://www.example.com', key: 'k' }), undefined);
    await useSites([{ name: 'Taken', kind: 'brilliantDirectories', url: sb.url, key: sb.bdKey }]);
    assert.equal(await vscode.commands.executeCommand('directoryRecords.addSite', { kind: 'brilliantDirectories', name: 'taken', url: sb.url, key: sb.bdKey }), undefined);
    assert.deepEqual(vscode.workspace.getConfiguration('directoryRecords').get<{ name: string }[]>('sites')!.map((s) => s.name), ['Taken']);
  });

  it('a Copernica account is added with its token checked by a one-click request', async () => {
    const sb = sandboxInfo();
    await control().clearRequests();
    assert.equal(await vscode.commands.executeCommand('directoryRecords.addSite', { kind: 'copernica', name: 'Mailings', url: sb.url, key: sb.copernicaToken }), 'Mailings');
    const request = (await control().requests()).find((r) => r.path === '/v2/ms/clicks')!;
    assert.equal(request.query['limit'], '1');
    assert.equal(request.query['total'], 'false');
    assert.equal(labelOf(await item((await children(await child(undefined, 'Mailings')))[0]!)), 'Clicks');
  });

  it('Remove Site deletes its key and closes its documents', async () => {
    const sb = sandboxInfo();
    await useSites([{ name: 'Doomed', kind: 'brilliantDirectories', url: sb.url, key: sb.bdKey }]);
    await vscode.commands.executeCommand('directoryRecords.openRecordById', await child(await child(undefined, 'Doomed'), 'Contacts'), '3');
    assert.equal(vscode.window.activeTextEditor?.document.uri.path, '/Doomed/contacts/3.json');
    await vscode.commands.executeCommand('directoryRecords.removeSite', 'Doomed', { confirmed: true });
    assert.equal(vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputText && t.input.uri.path.startsWith('/Doomed/')), false);
    assert.equal((await children()).length, 0);
    // Added again without a key: the old key is gone, so the tree asks for one.
    await useSites([{ name: 'Doomed', kind: 'brilliantDirectories', url: sb.url }]);
    assert.equal(labelOf(await item((await children(await child(undefined, 'Doomed')))[0]!)), 'Set API key…');
  });
});
