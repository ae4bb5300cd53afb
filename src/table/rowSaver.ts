/**
 * Rows saved at once. The site's pacer keeps every request within its limit; more than one row
 * in flight keeps the limit's window full while replies travel (one row at a time left the save
 * of 50 rows at 1.19× the least time the limit allows).
 */
export const SAVE_LANES = 4;

/**
 * Saves `rows` with at most `lanes` in flight, each row once, in order of starting. A row whose
 * save answers 'stop' (a site made Read-only meanwhile) starts no further row; nor does `stopped()`
 * (Cancel). Rows already in flight finish.
 */
export async function saveRows<T>(rows: readonly T[], save: (row: T) => Promise<'stop' | void>, options: { readonly lanes?: number; readonly stopped?: () => boolean } = {}): Promise<void> {
  let next = 0;
  let halted = false;
  const lane = async (): Promise<void> => {
    while (!halted && !(options.stopped?.() ?? false) && next < rows.length) {
      const row = rows[next++] as T;
      if ((await save(row)) === 'stop') halted = true;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.lanes ?? SAVE_LANES, rows.length)) }, lane));
}
