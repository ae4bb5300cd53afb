import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { decodeStoredDate, parseStoredDate } from '../../src/documents/dateText';
import type { ResourceNode } from '../../src/tree/treeNodes';
import { apiRequests, child, clearSites, closeAllEditors, control, sandboxInfo, useSites, waitFor } from './support/world';

/** Everything the hovers at `at` say (the JSON schema's and the extension's), as one text. */
async function hoverText(doc: vscode.TextDocument, at: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}

async function replaceAll(doc: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
}

/** The completion labels, and each one's detail, at `offset`. */
async function completions(doc: vscode.TextDocument, offset: number): Promise<Map<string, string | undefined>> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, doc.positionAt(offset));
  return new Map(list.items.map((i) => [typeof i.label === 'string' ? i.label : i.label.label, i.detail]));
}

describe('Schema help in record documents', function () {
  this.timeout(40_000);

  before(async () => {
    await useSites([{ name: 'Schema BD', kind: 'brilliantDirectories', url: sandboxInfo().url, key: sandboxInfo().bdKey }]);
  });

  afterEach(closeAllEditors);
  after(clearSites);

  async function openRecord(path: string): Promise<vscode.TextDocument> {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'directory-records', path }));
    await vscode.window.showTextDocument(doc);
    return doc;
  }

  const openContact = (): Promise<vscode.TextDocument> => openRecord('/Schema BD/contacts/2.json');

  it('marks an unknown field and a non-string value before saving, as errors: the save refuses both', async () => {
    const doc = await openContact();
    const edit = new vscode.WorkspaceEdit();
    const text = doc.getText().replace('{\n', '{\n  "citty": "Typo",\n').replace(/"active": "(\d)"/, '"active": $1');
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
    await vscode.workspace.applyEdit(edit);
    const diagnostics = await waitFor('schema diagnostics', () => {
      const found = vscode.languages.getDiagnostics(doc.uri);
      return found.length >= 2 ? found : undefined;
    }, 30_000);
    const messages = diagnostics.map((d) => `${doc.getText(d.range)}: ${d.message}`).join('\n');
    assert.match(messages, /"citty": "citty" is not a field of a contact/);
    assert.match(messages, /1: "active" must be a string or null, as the API stores it \(write "1" with quotes\)/);
    assert.deepEqual(diagnostics.map((d) => d.severity), diagnostics.map(() => vscode.DiagnosticSeverity.Error), messages);
  });

  it('an untouched contact with the site\'s own columns has no marker; a field the user adds has one, as an error', async () => {
    const doc = await openRecord('/Schema BD/contacts/15.json');
    const original = doc.getText();
    const served = JSON.parse(original) as Record<string, unknown>;
    assert.equal(served['custom_status'], 'lead');
    assert.equal(served['member_tier'], 'gold');
    // The marker on the added field shows the JSON language service has run on this text.
    await replaceAll(doc, doc.getText().replace('{\n', '{\n  "custm_status": "lead",\n'));
    const marked = await waitFor('the marker on custm_status', () => {
      const found = vscode.languages.getDiagnostics(doc.uri);
      return found.some((d) => doc.getText(d.range).includes('custm_status')) ? found : undefined;
    }, 30_000);
    assert.deepEqual(marked.map((d) => `${doc.getText(d.range)} (${vscode.DiagnosticSeverity[d.severity]})`), ['"custm_status" (Error)']);
    // Back to the server's text: the service runs again, and nothing is left.
    await replaceAll(doc, original);
    await waitFor('no marker on the untouched record', () => vscode.languages.getDiagnostics(doc.uri).length === 0, 30_000);
  });

  it('invalid JSON is an error marker', async () => {
    const doc = await openContact();
    await replaceAll(doc, doc.getText().replace(/,\n/, '\n'));
    const found = await waitFor('the syntax marker', () => {
      const diagnostics = vscode.languages.getDiagnostics(doc.uri);
      return diagnostics.length > 0 ? diagnostics : undefined;
    }, 30_000);
    assert.ok(found.every((d) => d.severity === vscode.DiagnosticSeverity.Error), found.map((d) => `${d.message} ${d.severity}`).join('\n'));
  });

  it('describes a field on hover, with its read-only mark', async () => {
    const doc = await openContact();
    const at = doc.positionAt(doc.getText().indexOf('"revision_timestamp"') + 3);
    const text = await hoverText(doc, at);
    assert.match(text, /\*\*Read-only\*\* — the server assigns it/);
    assert.match(text, /Timestamp of last record modification/);
    // Words, not an emoji that many fonts draw as an empty box.
    assert.doesNotMatch(text, /\p{Extended_Pictographic}/u);
  });

  it('decodes a date value on hover (UTC, your time, how long ago) and names its format once', async () => {
    const doc = await openContact();
    const text = doc.getText();
    for (const [field, format] of [['date_created', 'YYYYMMDDHHmmss'], ['revision_timestamp', 'YYYY-MM-DD HH:MM:SS']] as const) {
      const value = String(JSON.parse(text)[field]);
      const stored = parseStoredDate(value);
      assert.ok(stored, `contact 2 has a ${field}: ${value}`);
      const at = doc.positionAt(text.indexOf(`"${field}": "${value}"`) + field.length + 6);
      const hover = await hoverText(doc, at);
      const decoded = decodeStoredDate(stored, { locale: vscode.env.language });
      assert.ok(hover.includes(`**Date:** ${decoded.utc} UTC — ${decoded.local} your time — ${decoded.relative}`), hover);
      assert.equal(hover.split(format).length - 1, 1, `the format once: ${hover}`);
    }
  });

  it('decodes a 12-digit notification_date, without seconds', async () => {
    const doc = await openRecord('/Schema BD/website_notifications/1.json');
    const text = doc.getText();
    const value = String(JSON.parse(text)['notification_date']);
    assert.match(value, /^\d{12}$/);
    const hover = await hoverText(doc, doc.positionAt(text.indexOf(`"${value}"`) + 2));
    const decoded = decodeStoredDate(parseStoredDate(value)!, { locale: vscode.env.language });
    assert.match(decoded.utc, /, \d\d:\d\d$/);
    assert.ok(hover.includes(`${decoded.utc} UTC — ${decoded.local} your time`), hover);
    assert.equal(hover.split('YYYYMMDDHHMM').length - 1, 1, hover);
  });

  it('completes the values the field tables define, each described, and explains one on hover', async () => {
    const contact = await openContact();
    await replaceAll(contact, contact.getText().replace(/"active": (?:"[^"]*"|null)/, '"active": ""'));
    const active = await completions(contact, contact.getText().indexOf('"active": ""') + '"active": "'.length);
    assert.equal(active.get('"1"'), 'active');
    assert.equal(active.get('"0"'), 'inactive');

    const notification = await openRecord('/Schema BD/website_notifications/1.json');
    await replaceAll(notification, notification.getText().replace(/"notification_view": (?:"[^"]*"|null)/, '"notification_view": ""').replace(/"notification_status": (?:"[^"]*"|null)/, '"notification_status": "4"'));
    const view = await completions(notification, notification.getText().indexOf('"notification_view": ""') + '"notification_view": "'.length);
    assert.equal(view.get('"1"'), 'viewed');
    assert.equal(view.get('"0"'), 'unread');
    const text = notification.getText();
    const statusAt = text.indexOf('"notification_status": "4"') + '"notification_status": "'.length;
    assert.equal((await completions(notification, statusAt)).get('"1"'), 'active');
    // The field's own description says "EG 1 active, 4 archived"; the value's line is the enum's.
    assert.match(await hoverText(notification, notification.positionAt(statusAt)), /archived\. One of the examples in the vendor's field table/);
    const diagnostics = vscode.languages.getDiagnostics(notification.uri);
    assert.deepEqual(diagnostics.map((d) => d.message), [], 'a status code the table does not list is not flagged');
  });

  it('a New Record draft holds only what a person sets, and completion offers no key or server-managed field', async () => {
    const contacts = (await child(await child(undefined, 'Schema BD'), 'Contacts')) as ResourceNode;
    await vscode.commands.executeCommand('directoryRecords.newRecord', contacts);
    const draft = vscode.window.activeTextEditor!.document;
    assert.match(draft.uri.path, /\/contacts\/new-\d+\.json$/);
    const template = JSON.parse(draft.getText()) as Record<string, string>;
    const managed = ['contact_id', 'revision_timestamp', 'date_created', 'date_updated', 'created_by', 'updated_by', 'token', 'ip', 'rel_db', 'rel_id'];
    assert.deepEqual(managed.filter((name) => name in template), []);

    const { linkedin: _left, ...rest } = template;
    await replaceAll(draft, JSON.stringify({ '': '', ...rest }, null, 2));
    const offered = [...(await completions(draft, draft.getText().indexOf('"": ""') + 1)).keys()];
    assert.ok(offered.some((label) => label.includes('linkedin')), `completions: ${offered.join(', ')}`);
    assert.deepEqual(offered.filter((label) => managed.some((name) => label.includes(name))), [], 'no key or server-managed field offered');

    await replaceAll(draft, JSON.stringify({ ...template, email: 'draft@example.com', token: 'abc' }, null, 2));
    const marked = await waitFor('the marker on token', () => vscode.languages.getDiagnostics(draft.uri).find((d) => draft.getText(d.range).includes('abc')), 30_000);
    assert.equal(marked.message, '"token" is filled in by the site, not by a new contact: remove it and save again. Nothing was sent.');
    assert.equal(marked.severity, vscode.DiagnosticSeverity.Error);
    await control().clearRequests();
    assert.equal(await draft.save(), false, 'the store refuses it too');
    assert.deepEqual((await apiRequests()).filter((r) => r.method === 'POST'), []);
  });

  it('completes field names from the model', async () => {
    const doc = await openContact();
    const at = doc.positionAt(doc.getText().indexOf('{') + 1);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, at, '\n  "",');
    await vscode.workspace.applyEdit(edit);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, doc.positionAt(doc.getText().indexOf('"",') + 1));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.some((l) => l.includes('linkedin')), `completions: ${labels.slice(0, 10).join(', ')}`);
  });
});
