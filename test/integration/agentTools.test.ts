// Issue 21: the language-model tools, invoked as a model would (vscode.lm.invokeTool) but with no
// model: they read through the site's paced client with personal data masked, check their input
// before sending anything, and change nothing themselves — a proposal is an unsaved edit the user
// saves, or a bulk preview the user confirms.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { CONTACTS } from '../../src/api/resources';
import { parseTableUri, TABLE_VIEW_TYPE } from '../../src/table/tableViewType';
import { watchDialogs } from './support/dialogs';
import { apiRequests, clearSites, closeAllEditors, control, sandboxInfo, settle, useSites, waitFor } from './support/world';

const BD = 'Agent BD';
const LOCKED = 'Agent Locked';
const COPERNICA = 'Agent Copernica';

/** Every answer a tool gave in this file: none may hold a key. */
const answers: string[] = [];

async function invoke(tool: string, input: object): Promise<string> {
  const result = await vscode.lm.invokeTool(`directoryRecords_${tool}`, { input, toolInvocationToken: undefined });
  const text = result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
  answers.push(text);
  return text;
}

const writes = async (): Promise<string[]> => (await apiRequests()).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);

/** The contacts of the sandbox whose email, first name, last name or company holds `text` (as Find Record searches), counted here. */
async function contactsHolding(text: string): Promise<Set<string>> {
  const found = new Set<string>();
  for (let id = 1; id <= 238; id++) {
    const r = await control().getRecord('contacts', id);
    if (r && ['email', 'first_name', 'last_name', 'company'].some((f) => String(r[f] ?? '').toLowerCase().includes(text))) found.add(String(id));
  }
  return found;
}

/** Ids of the record lines ("- contacts 12: {…}") of an answer. */
function listedIds(text: string, model: string): string[] {
  return [...text.matchAll(new RegExp(`^- ${model} (\\d+):`, 'gm'))].map((m) => m[1]!);
}

describe('Agent tools (language-model tools, in-host, no model)', function () {
  this.timeout(60_000);

  before(async () => {
    await control().reset();
    await useSites([{ name: BD, kind: 'brilliantDirectories', url: sandboxInfo().url, key: sandboxInfo().bdKey }]);
    const config = vscode.workspace.getConfiguration('directoryRecords');
    await config.update('sites', [...config.get<object[]>('sites', []), { name: LOCKED, kind: 'brilliantDirectories', url: sandboxInfo().url, writeProfile: 'readOnly' }, { name: COPERNICA, kind: 'copernica', url: sandboxInfo().url }], vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('directoryRecords.setApiKey', LOCKED, sandboxInfo().bdKey, { saveAnyway: true });
    await vscode.commands.executeCommand('directoryRecords.setApiKey', COPERNICA, sandboxInfo().copernicaToken, { saveAnyway: true });
    await settle();
  });

  afterEach(closeAllEditors);

  after(async () => {
    await vscode.workspace.getConfiguration('directoryRecords.agent').update('unmaskedSites', undefined, vscode.ConfigurationTarget.Global);
    await clearSites();
  });

  it('the eight tools are registered under their names', () => {
    const names = vscode.lm.tools.filter((t) => t.name.startsWith('directoryRecords_')).map((t) => t.name).sort();
    assert.deepEqual(names, ['listSites', 'findRecords', 'getRecord', 'summarizeClicks', 'openRecord', 'openTable', 'proposeChanges', 'proposeBulk'].map((n) => `directoryRecords_${n}`).sort());
  });

  it('listSites names both sites and their profiles, and sends nothing', async () => {
    await control().clearRequests();
    const text = await invoke('listSites', {});
    assert.match(text, /"Agent BD" \(Brilliant Directories; write profile normal; personal data masked\): contacts, website_notifications, users_clicks/);
    assert.match(text, /"Agent Locked" .*write profile readOnly/);
    assert.deepEqual(await apiRequests(), []);
  });

  it('find by text returns the sandbox\'s matching contacts, emails masked, in at most 6 GETs', async () => {
    const expected = await contactsHolding('jane');
    await control().clearRequests();
    const text = await invoke('findRecords', { site: BD, text: 'jane', resource: 'contacts' });
    const ids = listedIds(text, 'contacts');
    assert.ok(ids.includes('1'), text);
    for (const id of ids) assert.ok(expected.has(id), `contact ${id} does not hold "jane"`);
    if (expected.size <= 10) assert.deepEqual(new Set(ids), expected);
    assert.match(text, /"email":"j\*\*\*@example\.com"/);
    assert.doesNotMatch(text, /jane@example\.com/i);
    const requests = await apiRequests();
    assert.ok(requests.length >= 1 && requests.length <= 6 && requests.every((r) => r.method === 'GET' && r.path === '/api/v2/contacts/get'), JSON.stringify(requests.map((r) => r.path)));
  });

  it('find with a filter lists the matching contacts with the server\'s total, in one request', async () => {
    const city = (await control().getRecord('contacts', 1))!['city']!;
    let count = 0;
    for (let id = 1; id <= 238; id++) if ((await control().getRecord('contacts', id))?.['city'] === city) count++;
    await control().clearRequests();
    const text = await invoke('findRecords', { site: BD, resource: 'contacts', filters: [{ field: 'city', operator: 'eq', value: city }], limit: 2 });
    assert.match(text.split('\n')[0]!, new RegExp(`^${Math.min(2, count)} of ${count} contacts matching city eq`));
    assert.equal(listedIds(text, 'contacts').length, Math.min(2, count));
    assert.equal((await apiRequests()).length, 1);
  });

  it('get returns one record, masked; unmasked once the user lists the site', async () => {
    const stored = (await control().getRecord('contacts', 1))!;
    const masked = await invoke('getRecord', { site: BD, resource: 'contacts', id: '1' });
    assert.match(masked, /"first_name": "Jane"/);
    assert.match(masked, /"email": "j\*\*\*@example\.com"/);
    if (stored['token']) assert.ok(!masked.includes(stored['token']), 'the contact token is masked');
    await vscode.workspace.getConfiguration('directoryRecords.agent').update('unmaskedSites', [BD], vscode.ConfigurationTarget.Global);
    try {
      const open = await invoke('getRecord', { site: BD, resource: 'contacts', id: '1' });
      assert.match(open, /"email": "jane@example\.com"/);
    } finally {
      await vscode.workspace.getConfiguration('directoryRecords.agent').update('unmaskedSites', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('the click summary of March 2025 equals the clicks counted here, read 100 a request', async () => {
    let expected = 0;
    for (let id = 1; id <= 420; id++) {
      const v = (await control().getRecord('users_clicks', id))?.['date_clicked'] ?? '';
      if (v >= '20250301000000' && v < '20250401000000') expected++;
    }
    await control().clearRequests();
    const text = await invoke('summarizeClicks', { site: BD, from: '2025-03-01', to: '2025-03-31' });
    assert.match(text, new RegExp(`: ${expected} in all, \\d+ unique visitors`), text);
    assert.equal((await apiRequests()).filter((r) => r.path === '/api/v2/users_clicks/get').length, Math.max(1, Math.ceil(expected / 100)));
  });

  it('a click summary past its request bound refuses after the one request that counted the range', async () => {
    await control().clearRequests();
    const text = await invoke('summarizeClicks', { site: BD, preset: 'all', maxRequests: 1 });
    assert.match(text, /^Refused: The range holds \d+ clicks: reading them needs \d+ requests, more than the bound of 1/);
    assert.equal((await apiRequests()).length, 1);
  });

  it('a Copernica account: its clicks listed with IP addresses masked, and no token in the answer', async () => {
    await control().clearRequests();
    const text = await invoke('findRecords', { site: COPERNICA, resource: 'ms_clicks', limit: 50 });
    assert.match(text.split('\n')[0]!, /^50 of \d+ clicks matching \(no filter\) on "Agent Copernica", newest first, 2 request\(s\)/);
    const ips = [...text.matchAll(/"ip":"([^"]*)"/g)].map((m) => m[1]!);
    assert.ok(ips.length > 0, 'some clicks have an IP');
    for (const ip of ips) assert.match(ip, /^[0-9a-f]{1,4}[.:]\*\*\*$/i);
    assert.ok(!text.includes(sandboxInfo().copernicaToken.slice(0, 8)));
    const searched = await invoke('findRecords', { site: COPERNICA, text: 'jane' });
    assert.match(searched, /^Refused: Search by text works on Brilliant Directories sites/);
    assert.equal((await apiRequests()).length, 2, 'the count and the newest page; the refused search sent nothing');
  });

  it('invalid input is refused by the tool before any request', async () => {
    await control().clearRequests();
    // Valid for the JSON schema VS Code may check; the tool's own zod check refuses it.
    const text = await invoke('findRecords', { site: BD });
    assert.match(text, /^Refused: Invalid input, nothing was sent: give "text" to search/);
    const proposal = await invoke('proposeChanges', { site: BD, resource: 'contacts', id: '5', fields: {} });
    assert.match(proposal, /^Refused: Invalid input/);
    // Invalid for the JSON schema too: this VS Code hands it to the tool unchecked, and zod refuses it.
    const tooMany = await invoke('findRecords', { site: BD, resource: 'contacts', limit: 1000, extra: 'x' });
    assert.match(tooMany, /^Refused: Invalid input, nothing was sent: .*limit/);
    assert.deepEqual(await apiRequests(), []);
  });

  it('proposeChanges leaves a dirty editor and sends nothing; the user\'s save sends one PUT with only the proposed fields', async () => {
    await control().clearRequests();
    const text = await invoke('proposeChanges', { site: BD, resource: 'contacts', id: '5', fields: { city: 'Reykjavík', company: 'Agent Test Ltd' } });
    assert.match(text, /unsaved: nothing is sent until the user reviews and saves it/);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'directory-records' && d.uri.path === `/${BD}/contacts/5.json`);
    assert.ok(doc, 'the record is open');
    assert.equal(doc.isDirty, true);
    assert.equal(JSON.parse(doc.getText())['city'], 'Reykjavík');
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(await writes(), []);
    assert.equal(await doc.save(), true);
    const puts = (await apiRequests()).filter((r) => r.method !== 'GET');
    assert.equal(puts.length, 1);
    assert.deepEqual(puts[0]!.body, { contact_id: '5', city: 'Reykjavík', company: 'Agent Test Ltd' });
  });

  it('a masked value sent back is refused, never proposed', async () => {
    await control().clearRequests();
    const text = await invoke('proposeChanges', { site: BD, resource: 'contacts', id: '1', fields: { email: 'j***@example.com' } });
    assert.match(text, /^Refused: The value of "email" holds "\*\*\*"/);
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.isDirty));
    assert.deepEqual(await apiRequests(), []);
  });

  it('proposeBulk opens the bulk preview and asks as Set Field does; declined, nothing is written', async () => {
    await control().clearRequests();
    const dialogs = watchDialogs();
    let text: string;
    try {
      text = await invoke('proposeBulk', { site: BD, action: 'setField', resource: 'contacts', ids: ['6', '7'], field: 'city', value: 'Tórshavn' });
    } finally {
      dialogs.restore();
    }
    assert.match(text, /they did not confirm it, so nothing was sent/);
    const asked = dialogs.shown.find((d) => d.modal);
    assert.ok(asked, 'the confirmation was asked');
    assert.match(asked.message, /Set city to "Tórshavn": 2 of 2 contacts on "Agent BD"\?/);
    assert.ok(vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputText && t.input.uri.scheme === 'directory-records-bulk'), 'the preview is open');
    assert.deepEqual(await writes(), []);
    assert.equal((await apiRequests()).length, 1, 'one read of the two records');
  });

  it('on a Read-only site every proposing tool refuses, and nothing is sent at all', async () => {
    await control().clearRequests();
    const changes = await invoke('proposeChanges', { site: LOCKED, resource: 'contacts', id: '5', fields: { city: 'Oslo' } });
    const setField = await invoke('proposeBulk', { site: LOCKED, action: 'setField', resource: 'contacts', ids: ['5'], field: 'city', value: 'Oslo' });
    const viewed = await invoke('proposeBulk', { site: LOCKED, action: 'markViewed', resource: 'website_notifications', ids: ['1'] });
    for (const text of [changes, setField, viewed]) assert.match(text, /^Refused: "Agent Locked" is Read-only/);
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.isDirty));
    assert.deepEqual(await apiRequests(), []);
  });

  it('openRecord opens the record; openTable opens the resource as a table', async () => {
    const text = await invoke('openRecord', { site: BD, resource: 'contacts', id: '3' });
    assert.match(text, /Opened contact 3/);
    await waitFor('the record editor', () => vscode.window.activeTextEditor?.document.uri.path === `/${BD}/contacts/3.json`);
    const table = await invoke('openTable', { site: BD, resource: 'contacts' });
    assert.match(table, /^Opened the Contacts of "Agent BD" in a table/);
    const tableTab = (): vscode.TabInputCustom | undefined => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputCustom && input.viewType === TABLE_VIEW_TYPE ? input : undefined;
    };
    await waitFor('the table tab', () => tableTab() !== undefined);
    assert.deepEqual(parseTableUri(tableTab()!.uri), { site: BD, resource: CONTACTS });
  });

  it('a site that answers with an HTML page quoting the key: the tool\'s refusal says so, without the key', async () => {
    await control().echoKeyPage({ offset: 40, encoding: 'url' });
    try {
      const text = await invoke('getRecord', { site: BD, resource: 'contacts', id: '2' });
      assert.match(text, /^Refused: .*HTML page/);
      const found = await invoke('findRecords', { site: BD, text: 'smith' });
      assert.match(found, /HTML page/);
    } finally {
      await control().configure({ htmlMode: null });
    }
  });

  it('no tool answer holds the key, not even part of it', () => {
    assert.ok(answers.length >= 15);
    const key = sandboxInfo().bdKey;
    const token = sandboxInfo().copernicaToken;
    for (const text of answers) assert.ok(!text.includes(key.slice(0, 8)) && !text.includes(token.slice(0, 8)), text);
  });
});
