import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RecordNode, ResourceNode, TreeNode } from '../../src/tree/treeNodes';
import { apiRequests, child, children, clearSites, closeAllEditors, control, extensionExports, item, labelOf, openRecord, sandboxInfo, useSites, waitFor } from './support/world';

const BD = 'Live BD';
const RECORD_LANGUAGE = 'directory-records-json';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const writes = async (): Promise<string[]> => (await apiRequests()).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);

const open = (model: 'contacts' | 'website_notifications', id: string, site = BD): Promise<vscode.TextDocument> => openRecord(site, model, id);

/** Types `text` into the value of `field`, one piece at a time with a pause after each, as a person does. */
async function typeIntoField(doc: vscode.TextDocument, field: string, pieces: readonly string[], pauseMs: number): Promise<void> {
  const editor = await vscode.window.showTextDocument(doc);
  for (const piece of pieces) {
    const at = doc.getText().indexOf(`"${field}": "`);
    assert.ok(at >= 0, `field ${field} is in the document`);
    const valueEnd = doc.getText().indexOf('"', at + field.length + 5);
    assert.ok(await editor.edit((b) => b.insert(doc.positionAt(valueEnd), piece)));
    await sleep(pauseMs);
  }
}

async function setUserSites(sites: readonly object[]): Promise<void> {
  await vscode.workspace.getConfiguration('directoryRecords').update('sites', sites, vscode.ConfigurationTarget.Global);
}

function bdSite(extra: object = {}): object {
  return { name: BD, kind: 'brilliantDirectories', url: sandboxInfo().url, ...extra };
}

/** A second loopback server that records every request it gets: where a stolen key would arrive. */
async function startRecorder(): Promise<{ url: string; requests: { method: string; url: string; headers: http.IncomingHttpHeaders }[]; close: () => Promise<void> }> {
  const requests: { method: string; url: string; headers: http.IncomingHttpHeaders }[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"success","message":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Expands the site and every resource under it, so whatever it would send is sent. */
async function expandEverything(site: string): Promise<TreeNode[]> {
  await vscode.commands.executeCommand('directoryRecords.refresh');
  const siteNode = await child(undefined, site);
  const below = await children(siteNode);
  for (const node of below) if (node.type === 'resource') await children(node).catch(() => []);
  return below;
}

/** Lines of the extension's log that record a refused write to the given record path. */
async function refusedWrites(recordPath: string): Promise<string[]> {
  const { logUri } = await extensionExports();
  const text = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(logUri, 'Directory Records.log'))).toString('utf8');
  return text.split('\n').filter((line) => line.includes(`${recordPath}: a write that did not follow an explicit save was refused`));
}

function carriesKey(request: { url: string; headers: http.IncomingHttpHeaders }, key: string): boolean {
  return request.url.includes(key) || request.url.includes(encodeURIComponent(key)) || Object.values(request.headers).some((v) => String(v).includes(key));
}

describe('Live-site safety', function () {
  this.timeout(60_000);

  before(async () => {
    await control().reset();
    await useSites([{ ...bdSite(), key: sandboxInfo().bdKey } as never]);
  });

  afterEach(async () => {
    await closeAllEditors();
    const files = vscode.workspace.getConfiguration('files');
    await files.update('autoSave', undefined, vscode.ConfigurationTarget.Global);
    await files.update('autoSaveDelay', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('files', { languageId: RECORD_LANGUAGE }).update('autoSave', undefined, vscode.ConfigurationTarget.Global, true);
    await setUserSites([bdSite()]);
  });

  after(clearSites);

  describe('Auto Save never writes to a site', () => {
    beforeEach(async () => {
      const files = vscode.workspace.getConfiguration('files');
      await files.update('autoSave', 'afterDelay', vscode.ConfigurationTarget.Global);
      await files.update('autoSaveDelay', 200, vscode.ConfigurationTarget.Global);
    });

    it('record documents have their own language, with Auto Save off by default whatever the global setting', async () => {
      const doc = await open('contacts', '3');
      assert.equal(doc.languageId, RECORD_LANGUAGE);
      assert.equal(vscode.workspace.getConfiguration('files').get('autoSave'), 'afterDelay');
      assert.equal(vscode.workspace.getConfiguration('files', doc).get('autoSave'), 'off');
    });

    it('typing with pauses longer than the delay, then moving focus away, sends nothing; Ctrl+S then sends one PUT', async () => {
      const doc = await open('contacts', '3');
      await control().clearRequests();
      await typeIntoField(doc, 'city', ['Port', 'land', ', ', 'Oregon'], 600);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: 'elsewhere' }));
      await sleep(800);
      assert.equal(doc.isDirty, true, 'the edit is still unsaved');
      assert.deepEqual(await apiRequests(), [], 'no request at all, not even a GET');
      assert.deepEqual(await refusedWrites(doc.uri.path), [], 'VS Code did not even try to auto-save it');
      assert.equal(await doc.save(), true);
      assert.deepEqual(await writes(), ['PUT /api/v2/contacts/update']);
      assert.match(String((await control().getRecord('contacts', 3))!['city']), /Portland, Oregon$/);
    });

    it('a New Record draft is not created by pauses; Ctrl+S creates it once', async () => {
      const notifications = (await child(await child(undefined, BD), 'Website Notifications')) as ResourceNode;
      await vscode.commands.executeCommand('directoryRecords.newRecord', notifications);
      const draft = vscode.window.activeTextEditor!.document;
      assert.equal(draft.languageId, RECORD_LANGUAGE);
      await control().clearRequests();
      await typeIntoField(draft, 'notification_title', ['An', 'nounce'], 600);
      await typeIntoField(draft, 'notification_message', ['Hi'], 600);
      await typeIntoField(draft, 'notification_status', ['1'], 600);
      await sleep(600);
      assert.deepEqual(await writes(), []);
      assert.equal(draft.isDirty, true);
      assert.equal(await draft.save(), true);
      assert.deepEqual(await writes(), ['POST /api/v2/website_notifications/create']);
    });

    it('behind the language default, a write that followed an auto-save is refused and the editor stays dirty', async () => {
      // The user overrides our default for the record language: VS Code then auto-saves, and the guard refuses.
      await vscode.workspace.getConfiguration('files', { languageId: RECORD_LANGUAGE }).update('autoSave', 'afterDelay', vscode.ConfigurationTarget.Global, true);
      const doc = await open('contacts', '4');
      assert.equal(vscode.workspace.getConfiguration('files', doc).get('autoSave'), 'afterDelay');
      await control().clearRequests();
      await typeIntoField(doc, 'city', ['Half'], 200);
      await waitFor('VS Code to auto-save and the write to be refused', async () => (await refusedWrites(doc.uri.path)).length > 0, 10_000);
      assert.equal(doc.isDirty, true);
      assert.deepEqual(await writes(), []);
      assert.equal(await doc.save(), true, 'an explicit save still works');
      assert.deepEqual(await writes(), ['PUT /api/v2/contacts/update']);
    });

    it('a write that no save asked for (workspace.fs.writeFile) is refused and sends nothing', async () => {
      const doc = await open('contacts', '5');
      await control().clearRequests();
      const text = doc.getText().replace(/"city": "[^"]*"/, '"city": "Sneaky"');
      await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(doc.uri, Buffer.from(text))));
      assert.deepEqual(await apiRequests(), []);
    });

    it('a whitespace-only edit sends nothing on save and keeps the text under the cursor as typed', async () => {
      const doc = await open('contacts', '6');
      const editor = await vscode.window.showTextDocument(doc);
      await control().clearRequests();
      assert.ok(await editor.edit((b) => b.insert(doc.positionAt(2), '\n\n')));
      const typed = doc.getText();
      assert.equal(await doc.save(), true);
      await sleep(500);
      assert.deepEqual(await apiRequests(), []);
      assert.equal(doc.getText(), typed);
    });
  });

  describe('A key goes only where it was stored for', () => {
    let recorder: Awaited<ReturnType<typeof startRecorder>>;
    let workspaceSettings: string;

    before(async () => {
      recorder = await startRecorder();
      workspaceSettings = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, '.vscode', 'settings.json');
    });

    afterEach(async () => {
      if (fs.existsSync(workspaceSettings)) {
        fs.rmSync(workspaceSettings);
        await waitFor('the workspace settings gone', () => vscode.workspace.getConfiguration('directoryRecords').inspect('pageSize')?.workspaceValue === undefined);
      }
      recorder.requests.length = 0;
    });

    after(async () => recorder.close());

    it('directoryRecords.sites and requestsPerMinute are application settings a workspace cannot set', async () => {
      const manifest = vscode.extensions.getExtension('directory-records.directory-records')!.packageJSON as { contributes: { configuration: { properties: Record<string, { scope?: string }> } }; capabilities: { untrustedWorkspaces: { supported: boolean } } };
      assert.equal(manifest.contributes.configuration.properties['directoryRecords.sites']!.scope, 'application');
      assert.equal(manifest.contributes.configuration.properties['directoryRecords.requestsPerMinute']!.scope, 'application');
      assert.equal(manifest.capabilities.untrustedWorkspaces.supported, true);
    });

    for (const [what, redefined] of [
      ['its URL', () => ({ name: BD, kind: 'brilliantDirectories', url: recorder.url })],
      ['its kind', () => ({ name: BD, kind: 'copernica', url: recorder.url })],
    ] as const) {
      it(`a workspace .vscode/settings.json that redefines ${what} gets no request carrying the key`, async () => {
        fs.mkdirSync(path.dirname(workspaceSettings), { recursive: true });
        // pageSize is a setting a workspace may set: once VS Code shows it, it has read the file.
        fs.writeFileSync(workspaceSettings, JSON.stringify({ 'directoryRecords.sites': [redefined()], 'directoryRecords.requestsPerMinute': 1000, 'directoryRecords.pageSize': 7 }));
        const config = () => vscode.workspace.getConfiguration('directoryRecords');
        await waitFor('VS Code to read the workspace settings', () => config().inspect('pageSize')?.workspaceValue === 7, 15_000);
        assert.equal(config().inspect('sites')?.workspaceValue, undefined, 'the workspace value of an application setting is ignored');
        assert.equal(config().get('requestsPerMinute'), 100);
        await control().clearRequests();
        await expandEverything(BD);
        await sleep(300);
        assert.equal(recorder.requests.filter((r) => carriesKey(r, sandboxInfo().bdKey)).length, 0);
        assert.equal(recorder.requests.length, 0);
        assert.ok((await apiRequests()).length > 0, 'the site still works from the user settings');
      });
    }

    for (const [what, redefined] of [
      ['its URL', () => bdSite({ url: recorder.url })],
      ['its kind', () => bdSite({ kind: 'copernica', url: recorder.url })],
    ] as const) {
      it(`when the user's own settings change ${what}, the key is held back and the tree says how to fix it`, async () => {
        await setUserSites([redefined()]);
        const below = await expandEverything(BD);
        await sleep(300);
        assert.equal(recorder.requests.filter((r) => carriesKey(r, sandboxInfo().bdKey)).length, 0);
        assert.equal(recorder.requests.length, 0);
        assert.equal(below.length, 1);
        const node = below[0]!;
        assert.equal(node.type, 'message');
        const shown = await item(node);
        assert.match(labelOf(shown), /held back/i);
        assert.equal(shown.command?.command, 'directoryRecords.setApiKey');
        assert.match(String(shown.tooltip), new RegExp(`stored for ${sandboxInfo().url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
        // The site row says it too, with a warning, so it shows before anyone expands the site.
        const siteRow = await item(await child(undefined, BD));
        assert.equal(siteRow.description, 'key held back');
        assert.equal((siteRow.iconPath as vscode.ThemeIcon | undefined)?.id, 'warning');
        assert.match(siteRow.accessibilityInformation?.label ?? '', /its key was held back, not sent/);
        assert.match(String(siteRow.contextValue), /\.deadKey$/, 'its menu offers Set API Key');
        // Back to the address the key was stored for: it works again.
        await setUserSites([bdSite()]);
        assert.ok((await expandEverything(BD)).some((n) => n.type === 'resource'));
      });
    }

    it('Set API Key with a new key binds it to the new address', async () => {
      await setUserSites([bdSite({ url: recorder.url })]);
      assert.ok(await vscode.commands.executeCommand('directoryRecords.setApiKey', BD, 'a-key-for-the-other-server', { saveAnyway: true }));
      recorder.requests.length = 0;
      await expandEverything(BD);
      assert.ok(recorder.requests.length > 0, 'the new key is sent to the address it was entered for');
      assert.ok(recorder.requests.every((r) => !carriesKey(r, sandboxInfo().bdKey)), 'never the old key');
      await setUserSites([bdSite()]);
      await vscode.commands.executeCommand('directoryRecords.setApiKey', BD, sandboxInfo().bdKey, { saveAnyway: true });
    });
  });

  describe('Write profiles', () => {
    it('a record edited before its site became read-only is refused on save: dirty, nothing sent', async () => {
      const doc = await open('contacts', '8');
      const editor = await vscode.window.showTextDocument(doc);
      assert.ok(await editor.edit((b) => b.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), doc.getText().replace(/"city": "[^"]*"/, '"city": "Too late"'))));
      await setUserSites([bdSite({ writeProfile: 'readOnly' })]);
      await control().clearRequests();
      assert.equal(await doc.save(), false);
      assert.equal(doc.isDirty, true);
      assert.deepEqual(await writes(), []);
      assert.notEqual((await control().getRecord('contacts', 8))!['city'], 'Too late');
    });

    it('on a read-only site records open read-only and create, delete, mark viewed and restore send nothing', async () => {
      await setUserSites([bdSite({ writeProfile: 'readOnly' })]);
      const doc = await open('contacts', '9');
      const stat = await vscode.workspace.fs.stat(doc.uri);
      assert.equal((stat.permissions ?? 0) & vscode.FilePermission.Readonly, vscode.FilePermission.Readonly);
      await control().clearRequests();
      const notifications = (await child(await child(undefined, BD), 'Website Notifications')) as ResourceNode;
      assert.equal(await vscode.commands.executeCommand('directoryRecords.newRecord', notifications), undefined);
      assert.equal(vscode.window.activeTextEditor?.document.uri.path.includes('/new-'), false, 'no draft was opened');
      const node = (await children(notifications)).find((n): n is RecordNode => n.type === 'record')!;
      await vscode.commands.executeCommand('directoryRecords.markViewed', node);
      await vscode.commands.executeCommand('directoryRecords.markUnread', node);
      assert.equal(await vscode.commands.executeCommand('directoryRecords.deleteRecord', doc.uri, { confirmed: true }), undefined);
      assert.deepEqual(await writes(), []);
      assert.ok(await control().getRecord('contacts', 9));
    });

    it('the status bar names the active record\'s site, its profile and the requests used this minute', async () => {
      await setUserSites([bdSite({ writeProfile: 'confirm' })]);
      await open('contacts', '10');
      const { siteStatus } = await extensionExports();
      const text = await waitFor('the status item', () => {
        const t = siteStatus();
        return t && t.includes(BD) ? t : undefined;
      });
      assert.match(text, /confirm writes/);
      const match = /(\d+)\/(\d+)$/.exec(text);
      assert.ok(match, text);
      assert.ok(Number(match[1]) >= 1, 'opening the record used at least one request');
      assert.equal(Number(match[2]), 100);
    });

    it('Edit Site renames a site: its key moves with it and its open records are closed', async () => {
      const doc = await open('contacts', '11');
      assert.equal(await vscode.commands.executeCommand('directoryRecords.editSite', BD, { name: 'Renamed BD' }), 'Renamed BD');
      assert.equal(vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === doc.uri.toString()), false);
      const below = await expandEverything('Renamed BD');
      assert.ok(below.some((n) => n.type === 'resource'), 'the key works under the new name');
      assert.equal(await vscode.commands.executeCommand('directoryRecords.editSite', 'Renamed BD', { name: BD }), BD);
    });
  });
});
