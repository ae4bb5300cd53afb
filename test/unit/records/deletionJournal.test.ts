import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { COMPACT_MIN_LINES, DeletionJournal, JOURNAL_DAYS, JOURNAL_FILE, OLD_JOURNAL_FILE, type DeletedRecord } from '../../../src/records/deletionJournal';

const DAY_MS = 24 * 60 * 60 * 1000;

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deletion-journal-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function entry(id: string, ageMs = 0, extra: Record<string, string> = {}): DeletedRecord {
  return { site: 'S', model: 'contacts', id, label: `Contact ${id}`, deletedAt: new Date(Date.now() - ageMs).toISOString(), record: { contact_id: id, first_name: `N${id}`, ...extra } };
}

const journal = (): DeletionJournal => new DeletionJournal({ fsPath: dir });
const ids = (entries: readonly DeletedRecord[]): string[] => entries.map((e) => e.id);
const fileText = (): string => fs.readFileSync(path.join(dir, JOURNAL_FILE), 'utf8');
const lineCount = (): number => fileText().split('\n').filter((l) => l.trim() !== '').length;

describe('DeletionJournal (append-only file)', () => {
  it('lists newest first, a batch in its own order, and a re-added record once, on top', async () => {
    const j = journal();
    await j.add(entry('1'));
    await j.addAll([entry('2'), entry('3')]);
    await j.add(entry('1', 0, { first_name: 'again' }));
    assert.deepEqual(ids(await j.list()), ['1', '2', '3']);
    assert.equal((await j.list())[0]!.record['first_name'], 'again');
    // A second instance (another window, the next session) reads the same from the file.
    assert.deepEqual(ids(await journal().list()), ['1', '2', '3']);
  });

  it('creates the storage folder VS Code named but did not create', async () => {
    const j = new DeletionJournal({ fsPath: path.join(dir, 'globalStorage', 'publisher.extension') });
    await j.add(entry('1'));
    assert.deepEqual(ids(await j.list()), ['1']);
  });

  it('appends one line per entry added or removed, never rewriting what is there', async () => {
    const j = journal();
    await j.addAll([entry('1'), entry('2')]);
    const before = fileText();
    const two = (await j.list()).find((e) => e.id === '2')!;
    await j.remove(two);
    const after = fileText();
    assert.ok(after.startsWith(before), 'the earlier lines are left as they were');
    assert.equal(lineCount(), 3);
    assert.deepEqual(ids(await j.list()), ['1']);
  });

  it('a remove names the delete it undoes: an entry of a later delete of the same id stays', async () => {
    const j = journal();
    const first = entry('7', 1000);
    await j.add(first);
    await j.add(entry('7'));
    await j.remove(first);
    assert.deepEqual(ids(await j.list()), ['7']);
  });

  it('skips a torn last line (a crash mid-append), and the next append is not swallowed by it', async () => {
    const j = journal();
    await j.addAll([entry('1'), entry('2')]);
    const whole = JSON.stringify({ add: entry('3') });
    fs.appendFileSync(path.join(dir, JOURNAL_FILE), whole.slice(0, whole.length / 2));
    const later = journal();
    assert.deepEqual(ids(await later.list()), ['1', '2']);
    await later.add(entry('4'));
    assert.deepEqual(ids(await journal().list()), ['4', '1', '2']);
  });

  it('skips a line that is not an entry, whatever else the file holds', async () => {
    fs.writeFileSync(path.join(dir, JOURNAL_FILE), `${JSON.stringify({ add: entry('1') })}\n{"add":{"site":"S"}}\nnot json\n[1,2]\n${JSON.stringify({ add: entry('2') })}\n`);
    assert.deepEqual(ids(await journal().list()), ['2', '1']);
  });

  it(`keeps every deletion of the last ${JOURNAL_DAYS} days and lists none older`, async () => {
    const j = journal();
    await j.addAll([entry('old', (JOURNAL_DAYS + 1) * DAY_MS), entry('edge', (JOURNAL_DAYS - 1) * DAY_MS), entry('new')]);
    assert.deepEqual(ids(await j.list()), ['edge', 'new']);
  });

  it('rewrites the file with its live entries once it is far larger than them, and loses none of them', async () => {
    const j = journal();
    const batch = Array.from({ length: COMPACT_MIN_LINES }, (_, i) => entry(String(i)));
    await j.addAll(batch);
    await j.add(entry('expired', (JOURNAL_DAYS + 2) * DAY_MS));
    const kept = await j.list();
    // Removing all but ten of them: the file would hold ~2,000 lines for 10 live entries (and one expired).
    await j.removeAll(kept.slice(10));
    const live = await j.list();
    assert.equal(live.length, 10);
    assert.equal(lineCount(), 10, 'compacted to the live entries, the expired one dropped');
    assert.deepEqual(ids(await journal().list()), ids(live));
    assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')).length, 0);
  });

  it('does not rewrite a file whose lines are mostly live entries', async () => {
    const j = journal();
    await j.addAll(Array.from({ length: COMPACT_MIN_LINES + 10 }, (_, i) => entry(String(i))));
    const before = fileText();
    await j.add(entry('x'));
    assert.ok(fileText().startsWith(before));
  });

  it('reads a journal in the old format (one JSON array), moves it to the new file, and goes on from there', async () => {
    const old = [entry('2'), entry('1'), entry('gone', (JOURNAL_DAYS + 1) * DAY_MS)];
    fs.writeFileSync(path.join(dir, OLD_JOURNAL_FILE), JSON.stringify(old, null, 1));
    const j = journal();
    assert.deepEqual(ids(await j.list()), ['2', '1']);
    assert.equal(fs.existsSync(path.join(dir, OLD_JOURNAL_FILE)), false, 'the old file is gone once moved');
    await j.add(entry('3'));
    assert.deepEqual(ids(await journal().list()), ['3', '2', '1']);
  });

  it('keeps an old-format journal it cannot parse aside, and starts a new one', async () => {
    fs.writeFileSync(path.join(dir, OLD_JOURNAL_FILE), '[{"site":"S"');
    const j = journal();
    assert.deepEqual(await j.list(), []);
    await j.add(entry('1'));
    assert.deepEqual(ids(await j.list()), ['1']);
    assert.equal(fs.readFileSync(path.join(dir, `${OLD_JOURNAL_FILE}.unreadable`), 'utf8'), '[{"site":"S"');
  });

  it('changes made together are all kept (queued, none lost)', async () => {
    const j = journal();
    await Promise.all(Array.from({ length: 20 }, (_, i) => j.addAll([entry(`a${i}`), entry(`b${i}`)])));
    assert.equal((await journal().list()).length, 40);
  });
});
