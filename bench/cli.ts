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
  let rounds = DEFAULT_ROUNDS;
  let only: string[] | undefined;
  let write = true;
  let fullWindow = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    // Accept both "--rounds 3" and "--rounds=3".
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value.`);
      return v;
    };
    switch (flag) {
      case '--rounds': {
        const text = value();
        rounds = Number(text);
        if (!Number.isInteger(rounds) || rounds < 1) throw new UsageError(`--rounds takes a whole number ≥ 1 (got "${text}").`);
        break;
      }
      case '--only':
        only = value().split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
        break;
      case '--no-write':
        write = false;
        break;
      case '--full-window':
        fullWindow = true;
        break;
      case '--help':
      case '-h':
        throw new UsageError('');
      default:
        throw new UsageError(`Unknown option "${arg}".`);
    }
  }
  return { rounds, only, write, fullWindow };
}

/** Sections named by --only (by id or alias), in registry order; unknown names are an error, not a silent skip. */
export function selectSections(all: readonly Section[], only: readonly string[] | undefined): Section[] {
  if (!only) return [...all];
  const known = new Set(all.flatMap((s) => [s.id, s.alias]));
  const unknown = only.filter((name) => !known.has(name));
  if (unknown.length > 0) throw new UsageError(`Unknown section ${unknown.map((u) => `"${u}"`).join(', ')}; known: ${all.map((s) => `${s.id} (${s.alias})`).join(', ')}.`);
  return all.filter((s) => only.includes(s.id) || only.includes(s.alias));
}
