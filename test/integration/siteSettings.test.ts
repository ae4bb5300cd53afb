import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { child, children, clearSites, control, item, labelOf, sandboxInfo, useSites } from './support/world';

describe('Site settings that would break things', function () {
  this.timeout(30_000);

  afterEach(async () => {
    await control().clearFaults();
    await clearSites();
  });

  it('a site name with "/" is refused in settings, with the problem shown in the tree', async () => {
    await vscode.workspace.getConfiguration('directoryRecords').update('sites', [
      { name: 'Good Site', kind: 'brilliantDirectories', url: sandboxInfo().url },
      { name: 'Bad/Site', kind: 'brilliantDirectories', url: sandboxInfo().url },
    ], vscode.ConfigurationTarget.Global);
    const labels = await Promise.all((await children()).map(async (n) => labelOf(await item(n))));
    assert.ok(labels.includes('Good Site'));
    assert.ok(!labels.includes('Bad/Site'), 'no site row whose records could never open');
    assert.ok(labels.some((l) => /Bad\/Site.*cannot be used.*address of its records/.test(l)), JSON.stringify(labels));
  });

  it('a redirect reply names the redirect and its Location instead of "empty reply"', async () => {
    const sb = sandboxInfo();
    await useSites([{ name: 'Moved Site', kind: 'brilliantDirectories', url: sb.url, key: sb.bdKey }]);
    await control().addFault({ method: 'GET', path: '/api/v2/contacts/get', kind: 'redirect', status: 301, location: 'https://www.example.com/api/v2/contacts/get?limit=25' });
    await vscode.commands.executeCommand('directoryRecords.refresh');
    const contacts = await child(await child(undefined, 'Moved Site'), 'Contacts');
    const shown = (await Promise.all((await children(contacts)).map(async (n) => { const i = await item(n); return `${labelOf(i)} ${String(i.tooltip ?? '')}`; }))).join('\n');
    assert.match(shown, /redirect \(HTTP 301\)/);
    assert.match(shown, /answers from https:\/\/www\.example\.com/);
    assert.doesNotMatch(shown, /empty reply/);
  });
});
