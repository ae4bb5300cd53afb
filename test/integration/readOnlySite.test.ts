// Issue 17 item 5: a read-only site says so where the user is — on its row in the tree and at
// the top of each of its open records (a CodeLens with Edit Site), and the status bar names the
// profile with the same word.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { child, clearSites, closeAllEditors, extensionExports, item, openRecord, sandboxInfo, useSites, waitFor } from './support/world';

const SITE = 'Profile BD';

async function setProfile(writeProfile?: 'readOnly' | 'confirm'): Promise<void> {
  const site = { name: SITE, kind: 'brilliantDirectories', url: sandboxInfo().url, ...(writeProfile ? { writeProfile } : {}) };
  await vscode.workspace.getConfiguration('directoryRecords').update('sites', [site], vscode.ConfigurationTarget.Global);
}

async function siteRow(): Promise<vscode.TreeItem> {
  return item(await child(undefined, SITE));
}

async function lensesOf(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
}

describe('A read-only site says so where the user is', function () {
  this.timeout(60_000);

  before(async () => {
    await useSites([{ name: SITE, kind: 'brilliantDirectories', url: sandboxInfo().url, key: sandboxInfo().bdKey }]);
  });

  after(async () => {
    await closeAllEditors();
    await clearSites();
  });

  it('the site row shows the mark: a lock, "Read-only" in its description, tooltip and accessible name', async () => {
    await setProfile();
    const before = await siteRow();
    assert.doesNotMatch(String(before.description), /Read-only/);
    await setProfile('readOnly');
    const row = await waitFor('the site row to say Read-only', async () => {
      const shown = await siteRow();
      return String(shown.description).includes('Read-only') ? shown : undefined;
    });
    assert.equal((row.iconPath as vscode.ThemeIcon).id, 'lock');
    const tooltip = typeof row.tooltip === 'string' ? row.tooltip : row.tooltip?.value ?? '';
    assert.match(tooltip, /Read-only/);
    assert.match(tooltip, /Edit Site/, 'the tooltip says how to change it');
    assert.match(row.accessibilityInformation?.label ?? '', new RegExp(`site ${SITE}.*Read-only`));
    // Back to normal: the mark goes.
    await setProfile();
    await waitFor('the mark to go', async () => !String((await siteRow()).description).includes('Read-only'));
    assert.notEqual(((await siteRow()).iconPath as vscode.ThemeIcon).id, 'lock');
  });

  it('an open record of a read-only site gets a CodeLens at its top with the Edit Site command; none when writable', async () => {
    await setProfile();
    const doc = await openRecord(SITE, 'contacts', 12);
    assert.deepEqual((await lensesOf(doc.uri)).map((l) => l.command?.title), [], 'no lens on a writable site');
    await setProfile('readOnly');
    const lenses = await waitFor('the read-only lens', async () => {
      const found = await lensesOf(doc.uri);
      return found.length > 0 ? found : undefined;
    });
    assert.equal(lenses.length, 1);
    const [lens] = lenses;
    assert.equal(lens!.range.start.line, 0);
    assert.match(lens!.command?.title ?? '', /^Read-only site: changes can't be saved\. Change it in Edit Site…/);
    assert.equal(lens!.command?.command, 'directoryRecords.editSite');
    assert.deepEqual(lens!.command?.arguments, [SITE]);
    await setProfile();
    await waitFor('the lens to go', async () => (await lensesOf(doc.uri)).length === 0);
  });

  it('the status bar names the profile "Read-only", as the row and the lens do', async () => {
    await setProfile('readOnly');
    await openRecord(SITE, 'contacts', 13);
    const { siteStatus } = await extensionExports();
    const text = await waitFor('the status item', () => {
      const t = siteStatus();
      return t && t.includes(SITE) && t.includes('Read-only') ? t : undefined;
    });
    assert.match(text, / · Read-only · /);
  });
});
