import { parseArgs as parseNodeArgs } from 'node:util';
import type { Section } from './types';

/** Odd, so the median is one real run; 9 because single runs on a busy 2-core VM vary by ±30 %. */
export const DEFAULT_ROUNDS = 9;

export interface CliOptions {
  readonly rounds: number;
  readonly only: readonly string[] | undefined;
  readonly write: boolean;
  readonly fullWindow: boolean;
}

export const USAGE = `Usage: npm run bench -- [--rounds N] [--only a,b] [--no-write] [--full-window]
  --rounds N      alternating rounds per comparison (default ${DEFAULT_ROUNDS})
  --only a,b      run only these sections (ids or aliases)
  --no-write      print only; leave docs/BENCHMARKS.md untouched
  --full-window   pace against the real 60 s rate-limit window (slow) instead of 3 s`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseArgs(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    // Accepts both "--rounds 3" and "--rounds=3"; unknown options and stray words are errors.
    parsed = parseNodeArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        rounds: { type: 'string' },
        only: { type: 'string' },
        'no-write': { type: 'boolean' },
        'full-window': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  if (parsed.help) throw new UsageError('');
  const given = (flag: 'rounds' | 'only'): string | undefined => {
    const value = parsed[flag];
    if (value === '') throw new UsageError(`--${flag} needs a value.`);
    return value;
  };
  const roundsText = given('rounds');
  const rounds = roundsText === undefined ? DEFAULT_ROUNDS : Number(roundsText);
  if (!Number.isInteger(rounds) || rounds < 1) throw new UsageError(`--rounds takes a whole number ≥ 1 (got "${roundsText}").`);
  const only = given('only')?.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  return { rounds, only, write: !parsed['no-write'], fullWindow: parsed['full-window'] ?? false };
}

/** Sections named by --only (by id or alias), in registry order; unknown names are an error, not a silent skip. */
export function selectSections(all: readonly Section[], only: readonly string[] | undefined): Section[] {
  if (!only) return [...all];
  const known = new Set(all.flatMap((s) => [s.id, s.alias]));
  const unknown = only.filter((name) => !known.has(name));
  if (unknown.length > 0) throw new UsageError(`Unknown section ${unknown.map((u) => `"${u}"`).join(', ')}; known: ${all.map((s) => `${s.id} (${s.alias})`).join(', ')}.`);
  return all.filter((s) => only.includes(s.id) || only.includes(s.alias));
}
