// The table's document model without VS Code: edits as undoable steps, the row diff a save and
// the review read, revert, and the backup's snapshot read back.
import { strict as assert } from 'node:assert';
import { CONTACTS } from '../../../src/api/resources';
import { parseSnapshot, TableModel } from '../../../src/table/tableModel';
import { cellRefusal, planPaste, tableColumns } from '../../../src/table/tableRules';
import { pacedSeconds, reviewText } from '../../../src/table/tableReview';

const record = (id: string, fields: Record<string, string | null> = {}) => ({ contact_id: id, first_name: `F${id}`, city: `C${id}`, company: null, revision_timestamp: '2025-01-01 00:00:00', ...fields });

function model(): TableModel {
  const m = new TableModel('contact_id');
  m.append([record('3'), record('2'), record('1')]);
  return m;
}

describe('table model', () => {
  it('an edit changes the cells it names, once; undo and redo walk it back and forth', () => {
    const m = model();
    const edit = m.apply([{ id: '3', field: 'city', value: 'Oslo' }, { id: '1', field: 'company', value: 'Acme' }, { id: '2', field: 'city', value: 'C2' }], 'edit')!;
    assert.equal(edit.cells.length, 2, 'setting a cell to what it holds is no change');
    assert.deepEqual(m.diffs(), [
      { id: '3', fields: [{ field: 'city', old: 'C3', new: 'Oslo' }] },
      { id: '1', fields: [{ field: 'company', old: null, new: 'Acme' }] },
    ]);
    m.undo(edit);
    assert.deepEqual(m.diffs(), []);
    assert.equal(m.value('3', 'city'), 'C3');
    m.redo(edit);
    assert.equal(m.value('3', 'city'), 'Oslo');
    assert.equal(m.apply([{ id: '3', field: 'city', value: 'Oslo' }], 'again'), undefined);
  });

  it('editing a cell back to the server value leaves the row unchanged; Revert Cell and Revert Row are undoable edits', () => {
    const m = model();
    m.apply([{ id: '2', field: 'city', value: 'X' }, { id: '2', field: 'first_name', value: 'Y' }], 'edit');
    m.apply([{ id: '2', field: 'city', value: 'C2' }], 'back');
    assert.deepEqual(m.diffs(), [{ id: '2', fields: [{ field: 'first_name', old: 'F2', new: 'Y' }] }]);
    const cell = m.revert('2', 'first_name', 'revert cell')!;
    assert.deepEqual(m.diffs(), []);
    m.undo(cell);
    assert.equal(m.value('2', 'first_name'), 'Y');
    m.apply([{ id: '2', field: 'city', value: 'Z' }], 'edit');
    m.revert('2', undefined, 'revert row');
    assert.deepEqual(m.diffs(), []);
    assert.equal(m.revert('2', undefined, 'nothing'), undefined);
  });

  it('a saved row takes the server record as its base; the snapshot brings back edits on their old bases', () => {
    const m = model();
    m.apply([{ id: '1', field: 'city', value: 'Bergen' }, { id: '3', field: 'city', value: 'Turku' }], 'edit');
    m.saved('1', record('1', { city: 'Bergen', revision_timestamp: '2025-02-02 00:00:00' }));
    assert.deepEqual(m.diffs().map((d) => d.id), ['3']);
    const snapshot = parseSnapshot(JSON.parse(JSON.stringify(m.snapshot())))!;
    assert.ok(snapshot);
    const restored = new TableModel('contact_id');
    restored.restore(snapshot);
    // A fresh page of the server's records later does not replace the base the edits were made on.
    restored.append([record('3', { city: 'Server changed' }), record('2')]);
    assert.deepEqual(restored.ids, ['3', '2']);
    assert.deepEqual(restored.diffs(), [{ id: '3', fields: [{ field: 'city', old: 'C3', new: 'Turku' }] }]);
    assert.equal(parseSnapshot({ rows: [{ id: 3 }] }), undefined);
  });
});

describe('table rules', () => {
  it('refuses a read-only field and a value past the documented length, as a record document would', () => {
    assert.match(cellRefusal(CONTACTS, record('1'), 'contact_id', '9')!.template, /read-only/);
    assert.equal(cellRefusal(CONTACTS, record('1'), 'city', 'Oslo'), undefined);
    assert.equal(cellRefusal(CONTACTS, record('1'), 'city', null), undefined);
  });

  it('columns: the resource fields in order, then columns first seen in the records; read-only ones marked', () => {
    const columns = tableColumns(CONTACTS, [record('1', { custom_a: 'x' }), record('2', { custom_b: 'y', custom_a: 'z' })]);
    assert.equal(columns[0]!.key, 'contact_id');
    assert.equal(columns[0]!.readOnly, true);
    assert.deepEqual(columns.slice(-2).map((c) => c.key), ['custom_a', 'custom_b']);
    assert.ok(columns.find((c) => c.key === 'active')!.values!.length > 0);
    assert.equal(columns.some((c) => c.key === 'cid'), false, 'filter-only fields are no columns');
  });

  it('a paste lands from the active cell right and down; over a read-only column, past the columns or past the loaded rows it is refused whole', () => {
    const columns = tableColumns(CONTACTS, []);
    const at = (...keys: string[]) => keys.map((k) => columns.find((c) => c.key === k)!);
    const plan = planPaste([['a', 'b', 'c'], ['d', 'e', 'f']], ['3', '2', '1'], 1, at('first_name', 'last_name', 'city', 'company'));
    assert.equal(plan.kind, 'cells');
    assert.deepEqual(plan.kind === 'cells' && plan.cells.map((c) => `${c.id}.${c.field}=${c.value}`), ['2.first_name=a', '2.last_name=b', '2.city=c', '1.first_name=d', '1.last_name=e', '1.city=f']);
    assert.equal(planPaste([['a', 'b']], ['3'], 0, at('city', 'contact_id')).kind, 'refused');
    assert.equal(planPaste([['a'], ['b']], ['3', '2'], 1, at('city')).kind, 'refused');
    assert.equal(planPaste([['a', 'b', 'c']], ['3'], 0, at('city', 'company')).kind, 'refused');
    // A range narrower than the columns from the active one on is fine.
    assert.equal(planPaste([['a']], ['3'], 0, at('city', 'contact_id')).kind, 'cells');
  });

  it('the review lists each changed record with its fields old → new, the request count and the time at the site pace', () => {
    const text = reviewText('Site', CONTACTS, [{ id: '7', fields: [{ field: 'city', old: 'A', new: 'B' }, { field: 'company', old: null, new: 'C' }] }, { id: '9', fields: [{ field: 'city', old: 'X', new: '' }] }], (id) => `label ${id}`, 60);
    assert.match(text, /2 changed Contacts on "Site"/);
    assert.match(text, /sends 6 requests/);
    assert.match(text, /about 6 s/);
    assert.match(text, /## contact 7 — label 7\n\n- city: "A" → "B"\n- company: \(empty\) → "C"/);
    assert.match(text, /- city: "X" → \(empty\)/);
    assert.equal(pacedSeconds(150, 100), 90);
  });
});
