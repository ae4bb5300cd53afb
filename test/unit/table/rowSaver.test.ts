import { strict as assert } from 'node:assert';
import { saveRows } from '../../../src/table/rowSaver';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('saveRows (the table save)', () => {
  it('saves every row once, never more than the lanes at once', async () => {
    const rows = Array.from({ length: 23 }, (_, i) => i);
    const seen: number[] = [];
    let inFlight = 0;
    let most = 0;
    await saveRows(rows, async (row) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await tick();
      seen.push(row);
      inFlight--;
    }, { lanes: 4 });
    assert.deepEqual([...seen].sort((a, b) => a - b), rows);
    assert.equal(most, 4);
  });

  it("a row answering 'stop' (a site made Read-only) starts no further row; those in flight finish", async () => {
    const started: number[] = [];
    await saveRows([0, 1, 2, 3, 4, 5, 6, 7], async (row) => {
      started.push(row);
      await tick();
      return row === 1 ? 'stop' : undefined;
    }, { lanes: 2 });
    assert.deepEqual(started, [0, 1, 2]);
  });

  it('Cancel (stopped) starts no further row', async () => {
    let cancelled = false;
    const started: number[] = [];
    await saveRows([0, 1, 2, 3, 4], async (row) => {
      started.push(row);
      if (row === 2) cancelled = true;
      await tick();
    }, { lanes: 1, stopped: () => cancelled });
    assert.deepEqual(started, [0, 1, 2]);
  });

  it('nothing to save: no call', async () => {
    let calls = 0;
    await saveRows([], async () => void calls++);
    assert.equal(calls, 0);
  });
});
