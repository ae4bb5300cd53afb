// Issue 20, the table: Open as Table is a custom editor of a resource's records. Its document
// model (edit, undo on VS Code's stack, revert, dirty) and its save — reviewed, then row by row
// through the record service — are driven here against the sandbox, counting the requests.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { SaveHistoryEntry } from '../../src/records/saveHistory';
import type { TableHandle } from '../../src/table/tableEditor';
import { apiRequests, clearSites, closeAllEditors, control, sandboxInfo, useSites, waitFor } from './support/world';

const SITE = 'Table BD';

function tableTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((tab) => tab.input instanceof vscode.TabInputCustom && tab.input.viewType === 'directoryRecords.table');
}


type Window = { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };
type HistoryItem = vscode.QuickPickItem & { readonly entry?: SaveHistoryEntry };

/**
 * Runs `show` (which should open Show Save History) with the quick pick answered by Escape; the
 * items it listed (none when no list was shown: a record with no saves kept).
 */
async function historyListed(show: () => Thenable<unknown>): Promise<HistoryItem[]> {
  const window = vscode.window as Window;
  const saved = window.showQuickPick;
  const shown: HistoryItem[][] = [];
  window.showQuickPick = (async (items: readonly HistoryItem[] | Thenable<readonly HistoryItem[]>) => {
    shown.push([...(await items)]);
    return undefined;
  }) as never;
  try {
    await show();
  } finally {
    window.showQuickPick = saved;
  }
  assert.ok(shown.length <= 1, 'one list at most');
  return (shown[0] ?? []).filter((i) => i.entry);
}

/** Saves the table as Ctrl+S does (the active editor's save). */
async function save(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.files.save');
}

async function setProfile(writeProfile?: 'confirm' | 'readOnly'): Promise<void> {
  const site = { name: SITE, kind: 'brilliantDirectories', url: sandboxInfo().url, ...(writeProfile ? { writeProfile } : {}) };
  await vscode.workspace.getConfiguration('directoryRecords').update('sites', [site], vscode.ConfigurationTarget.Global);
}

/** Closes the table without a save prompt: its edits are reverted first (once VS Code has heard of them: the tab's dirty mark comes a moment after an edit). */
async function closeTable(table: TableHandle | undefined): Promise<void> {
  if (table && table.changedRows().length > 0) await waitFor('the tab dirty', () => tableTab()?.isDirty);
  if (tableTab()?.isDirty) await vscode.commands.executeCommand('workbench.action.files.revert');
  await closeAllEditors();
}

describe('Open as Table (issue 20)', function () {
  this.timeout(60_000);

  let autoSave: unknown;
  before(async () => {
    // code-server saves a dirty editor after a delay: a table still dirty with a conflicting row would be saved (and reviewed) again mid-test.
    autoSave = vscode.workspace.getConfiguration('files').inspect('autoSave')?.globalValue;
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Global);
    await control().reset();
    await useSites([{ name: SITE, kind: 'brilliantDirectories', url: sandboxInfo().url, key: sandboxInfo().bdKey }]);
  });

  let opened: TableHandle | undefined;
  async function openTable(): Promise<TableHandle> {
    const handle = await vscode.commands.executeCommand<TableHandle | undefined>('directoryRecords.openTable', { site: SITE, resource: 'contacts' });
    assert.ok(handle, 'Open as Table gave no table');
    await handle.settled();
    opened = handle;
    return handle;
  }

  afterEach(async () => {
    await closeTable(opened);
    opened = undefined;
  });
  after(async () => {
    await clearSites();
    await vscode.workspace.getConfiguration('files').update('autoSave', autoSave, vscode.ConfigurationTarget.Global);
  });

  it('opens as a custom editor with the first page from one request and the total', async () => {
    await control().clearRequests();
    const table = await openTable();
    // The tree reads the unread notifications of a new site on its own: the table's are the contacts'.
    const contacts = async (): Promise<string[]> => (await apiRequests()).map((r) => `${r.method} ${r.path.split('?')[0]}`).filter((r) => r.includes('/contacts/'));
    assert.deepEqual(await contacts(), ['GET /api/v2/contacts/get']);
    assert.ok(tableTab(), 'no table tab');
    assert.ok(table.ids().length > 0);
    assert.equal(typeof table.total(), 'number');
    assert.ok(table.total()! >= table.ids().length);
    // The next page: one more request, appended after the first.
    const first = table.ids().length;
    await table.loadMore();
    assert.equal((await contacts()).length, 2);
    assert.ok(table.ids().length > first);
  });

  it('edits cells as one undoable edit: dirty, undo and redo through VS Code, Revert Cell and Revert Row', async () => {
    const table = await openTable();
    const [a, b] = table.ids();
    const cityBefore = table.value(a!, 'city');
    assert.deepEqual(table.edit([{ id: a!, field: 'city', value: 'Tallinn' }, { id: b!, field: 'company', value: 'Table Co' }]), []);
    await waitFor('the tab dirty', () => tableTab()?.isDirty);
    assert.deepEqual(table.changedRows().map((r) => r.id), [a, b].filter((id) => id !== undefined).sort((x, y) => table.ids().indexOf(x) - table.ids().indexOf(y)));
    await vscode.commands.executeCommand('undo');
    await waitFor('the edit undone', () => table.value(a!, 'city') === cityBefore);
    assert.equal(table.changedRows().length, 0);
    await vscode.commands.executeCommand('redo');
    await waitFor('the edit redone', () => table.value(a!, 'city') === 'Tallinn');
    table.revert(a!, 'city');
    assert.equal(table.value(a!, 'city'), cityBefore);
    assert.deepEqual(table.changedRows().map((r) => r.id), [b]);
    table.revert(b!);
    assert.equal(table.changedRows().length, 0);
  });

  it('refuses a change to a read-only field with the reason, changing nothing', async () => {
    const table = await openTable();
    const [a] = table.ids();
    const refusals = table.edit([{ id: a!, field: 'contact_id', value: '999999' }]);
    assert.equal(refusals.length, 1);
    assert.match(refusals[0]!, /read-only/);
    assert.equal(table.changedRows().length, 0);
    assert.equal(tableTab()?.isDirty, false);
  });

  it('pastes a 2×3 range from tab-separated text; a paste over a read-only column or past the loaded rows changes nothing', async () => {
    const table = await openTable();
    const ids = table.ids();
    assert.equal(table.paste('a1\tb1\tc1\na2\tb2\tc2\n', 0, ['first_name', 'last_name', 'company', 'email']), undefined);
    assert.deepEqual(table.changedRows().map((r) => r.id), ids.slice(0, 2));
    assert.equal(table.value(ids[1]!, 'company'), 'c2');
    assert.match(table.paste('x\ty', 0, ['company', 'contact_id']) ?? '', /read-only/);
    assert.match(table.paste('x\ny', ids.length - 1, ['company']) ?? '', /loaded rows/);
    assert.equal(table.changedRows().length, 2);
  });

  it('declining the review sends nothing and keeps the rows changed and the document dirty', async () => {
    const table = await openTable();
    const [a] = table.ids();
    table.edit([{ id: a!, field: 'city', value: 'Declined' }]);
    let review = '';
    table.answerReview((text) => {
      review = text;
      return false;
    });
    await control().clearRequests();
    const before = table.lastSummary();
    await save();
    await waitFor('the document dirty again', () => table.lastSummary() !== before && table.lastSummary()?.declined && tableTab()?.isDirty);
    assert.match(review, /city: .* → "Declined"/);
    assert.deepEqual((await apiRequests()).filter((r) => r.path.includes('/contacts/')), []);
    assert.equal(table.changedRows().length, 1);
  });

  it('saves several rows through the record service on a confirm site (the review is the confirmation): one PUT per clean row with only its changed fields; a row changed on the server meanwhile sends nothing and stays dirty', async () => {
    await setProfile('confirm');
    await vscode.commands.executeCommand('directoryRecords.clearSaveHistory', { confirmed: true });
    try {
      const table = await openTable();
      const [a, b, c] = table.ids();
      table.edit([
        { id: a!, field: 'city', value: 'Oslo' },
        { id: b!, field: 'company', value: 'Bee Ltd' },
        { id: b!, field: 'phone_number', value: '555-0101' },
        { id: c!, field: 'city', value: 'Mine' },
      ]);
      // The same field of row c changes on the server: a conflict.
      await control().putRecord('contacts', c!, { city: 'Theirs' });
      let review = '';
      table.answerReview((text) => {
        review = text;
        return true;
      });
      await control().clearRequests();
      const before = table.lastSummary();
      await save();
      // The save command may return before the table's save is done: its summary says when.
      await waitFor('the save summary', () => table.lastSummary() !== before && table.lastSummary());
      for (const id of [a, b, c]) assert.ok(review.includes(`contact ${id!}`), `the review lists ${id!}`);
      const puts = (await apiRequests()).filter((r) => r.method !== 'GET');
      // Rows are saved a few at a time (src/table/rowSaver.ts): the order of their updates is not fixed.
      const byKey = (x: unknown, y: unknown): number => String((x as Record<string, string>)['contact_id']).localeCompare(String((y as Record<string, string>)['contact_id']));
      assert.deepEqual(
        puts.map((r) => r.body).sort(byKey),
        [
          { contact_id: a, city: 'Oslo' },
          { contact_id: b, company: 'Bee Ltd', phone_number: '555-0101' },
        ].sort(byKey),
      );
      const summary = table.lastSummary()!;
      assert.equal(summary.saved + summary.merged, 2);
      assert.deepEqual(summary.conflicts, [c]);
      assert.deepEqual(table.changedRows().map((r) => r.id), [c]);
      assert.equal((await control().getRecord('contacts', a!))!['city'], 'Oslo');
      assert.equal((await control().getRecord('contacts', c!))!['city'], 'Theirs');
      await waitFor('the document still dirty with the conflicting row', () => tableTab()?.isDirty);
      // The save history: one entry per saved row, from the table's door, named so in the list; none for the conflicting row.
      for (const [id, sent] of [[a!, { city: 'Oslo' }], [b!, { company: 'Bee Ltd', phone_number: '555-0101' }]] as const) {
        const items = await historyListed(() => vscode.commands.executeCommand('directoryRecords.showSaveHistory', { site: SITE, resource: 'contacts', id }));
        assert.deepEqual(items.map((i) => i.entry!.door), ['table'], `one history entry of ${id}, from the table`);
        assert.deepEqual(items[0]!.entry!.sent, sent);
        assert.match(items[0]!.description ?? '', /table/);
      }
      assert.deepEqual(await historyListed(() => vscode.commands.executeCommand('directoryRecords.showSaveHistory', { site: SITE, resource: 'contacts', id: c! })), []);
      // From the grid (a row's Alt+H, the message its context menu's command also comes to): the row's list, its table save in it.
      const fromRow = await historyListed(() => table.showHistory(a!));
      assert.deepEqual(fromRow.map((i) => [i.entry!.id, i.entry!.door, i.entry!.after['city']]), [[a, 'table', 'Oslo']]);
    } finally {
      await setProfile();
    }
  });
  it('a site made Read-only after the edits refuses the save before the review: nothing is sent and the rows stay changed', async () => {
    const table = await openTable();
    const [a] = table.ids();
    table.edit([{ id: a!, field: 'city', value: 'Refused' }]);
    await waitFor('the tab dirty', () => tableTab()?.isDirty);
    let asked = false;
    table.answerReview(() => {
      asked = true;
      return true;
    });
    await setProfile('readOnly');
    try {
      await control().clearRequests();
      await save();
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(asked, false, 'no review for a Read-only site');
      assert.deepEqual((await apiRequests()).filter((r) => r.method !== 'GET'), []);
      assert.deepEqual(table.changedRows().map((r) => r.id), [a]);
      assert.equal(tableTab()?.isDirty, true);
      // A new edit on a Read-only site is refused in the cell, with the reason.
      assert.match(table.edit([{ id: a!, field: 'company', value: 'X' }])[0] ?? '', /Read-only/);
    } finally {
      await setProfile();
    }
  });
});
