/** Shared shapes for benchmark sections: a section measures, main.ts prints and records. */

export type Comparison = '<=' | '>=' | '==';

export interface Target {
  readonly comparison: Comparison;
  readonly limit: number;
}

export interface BenchRow {
  readonly name: string;
  readonly value: number;
  /** "ms", "ratio", "requests", "replies"…: how to read `value`. */
  readonly unit: string;
  /** Absent for figures that are context (absolute times, counts), not goals. */
  readonly target?: Target;
  readonly note?: string;
  /** One sentence on how the figure was obtained; goes into docs/BENCHMARKS.md. */
  readonly method: string;
}

export interface SectionResult {
  readonly rows: readonly BenchRow[];
  /** Run conditions worth printing beside the table (scaled windows, sizes, rounds). */
  readonly notes: readonly string[];
}

export interface BenchOptions {
  readonly rounds: number;
  readonly fullWindow: boolean;
  /** Progress lines go here (stderr), so stdout stays the result. */
  readonly progress: (line: string) => void;
}

export interface Section {
  /** Short id used by --only, e.g. "a". */
  readonly id: string;
  /** Longer alias also accepted by --only, e.g. "overhead". */
  readonly alias: string;
  readonly title: string;
  run(options: BenchOptions): Promise<SectionResult>;
}

/**
 * The measurement itself is wrong (records missing, requests failing), so its figures mean
 * nothing. Unlike a missed target, this makes the program exit non-zero.
 */
export class BrokenMeasurement extends Error {
  override readonly name = 'BrokenMeasurement';
}

export function targetMet(row: BenchRow): boolean | undefined {
  const t = row.target;
  if (!t) return undefined;
  if (!Number.isFinite(row.value)) return false;
  switch (t.comparison) {
    case '<=':
      return row.value <= t.limit;
    case '>=':
      return row.value >= t.limit;
    case '==':
      return row.value === t.limit;
  }
}
