import type { MachineInfo } from './machine';
import { formatNumber } from './stats';
import { targetMet, type BenchRow, type Section, type SectionResult, type Target } from './types';

export interface SectionOutcome {
  readonly section: Section;
  readonly result: SectionResult;
  readonly seconds: number;
}

export interface RunInfo {
  readonly date: Date;
  readonly command: string;
  readonly machine: MachineInfo;
  readonly seconds: number;
  /** Sections registered but left out by --only. */
  readonly skipped: readonly Section[];
}

function targetText(target: Target | undefined, unit: string): string {
  if (!target) return '—';
  return `${target.comparison === '==' ? '=' : target.comparison === '<=' ? '≤' : '≥'} ${formatNumber(target.limit, unit)}`;
}

function verdict(row: BenchRow): string {
  const met = targetMet(row);
  return met === undefined ? '' : met ? 'MET' : 'MISSED';
}

function valueText(row: BenchRow): string {
  const unit = row.unit === 'ratio' ? '' : ` ${row.unit}`;
  return `${formatNumber(row.value, row.unit)}${unit}`;
}

export function countTargets(outcomes: readonly SectionOutcome[]): { met: number; missed: number } {
  let met = 0;
  let missed = 0;
  for (const { result } of outcomes) {
    for (const row of result.rows) {
      const m = targetMet(row);
      if (m === true) met++;
      else if (m === false) missed++;
    }
  }
  return { met, missed };
}

/** A plain-text table for the terminal; padded columns, no colours, so it survives logs. */
export function consoleSection(outcome: SectionOutcome): string {
  const { section, result } = outcome;
  const header = ['Figure', 'Value', 'Target', 'Result', 'Note'];
  const body = result.rows.map((row) => [row.name, valueText(row), targetText(row.target, row.unit), verdict(row), row.note ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [
    `(${section.id}) ${section.title}  [${outcome.seconds.toFixed(1)} s]`,
    ...result.notes.map((n) => `  · ${n}`),
    '',
    `  ${line(header)}`,
    `  ${widths.map((w) => '-'.repeat(w)).join('  ')}`,
    ...body.map((cells) => `  ${line(cells)}`),
  ].join('\n');
}

const escapeCell = (text: string): string => text.replace(/\|/g, '\\|');

/** The whole of docs/BENCHMARKS.md: rewritten on every run, so nothing in it is hand-maintained. */
export function markdownReport(run: RunInfo, outcomes: readonly SectionOutcome[]): string {
  const { met, missed } = countTargets(outcomes);
  const m = run.machine;
  const out: string[] = [
    '# Benchmarks',
    '',
    '<!-- Written by bench/main.ts; edit the program, not this file: the next run overwrites it. -->',
    '',
    `Run on ${run.date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')} with \`${run.command}\`, ` +
      `${run.seconds.toFixed(0)} s in all. Targets: ${met} met, ${missed} missed.`,
    '',
    'Every figure with a target is either a ratio against a baseline measured in the same run on the same ' +
      'machine (so it does not depend on how fast the machine is) or a count. The program exits 0 ' +
      'when a target is missed (it is a measurement, not a test); it exits non-zero only when a measurement ' +
      'itself is broken (wrong record count, failed requests, a crash). Absolute times are context only, with two exceptions the issues set as budgets: extension activation time (ms, shown beside a do-nothing extension measured in the same hosts) and the activation bundle\'s size (KB).',
    '',
    'Options: `--rounds N` (alternating rounds, default 9), `--only a,b` (sections by id or alias), ' +
      '`--no-write` (leave this file alone), `--full-window` (pace against the real 60 s window; slow). ' +
      'Sections live in `bench/section*.ts` and are listed in `bench/sections.ts`.',
    '',
    '## Machine',
    '',
    '| | |',
    '|---|---|',
    `| OS | ${escapeCell(m.os)} |`,
    `| CPU | ${escapeCell(m.cpu)} |`,
    `| Cores | ${m.cores} |`,
    `| Memory | ${m.memory} |`,
    `| Node.js | ${m.node} |`,
    `| Load average (1 min) at start | ${m.loadAverage.toFixed(2)} |`,
    '',
  ];
  for (const { section, result, seconds } of outcomes) {
    out.push(`## (${section.id}) ${section.title}`, '', `Section time: ${seconds.toFixed(1)} s.`, '');
    for (const note of result.notes) out.push(`- ${note}`);
    out.push('', '| Figure | Value | Target | Met | Note |', '|---|--:|---|---|---|');
    for (const row of result.rows) {
      out.push(`| ${escapeCell(row.name)} | ${valueText(row)} | ${targetText(row.target, row.unit)} | ${verdict(row) || '—'} | ${escapeCell(row.note ?? '')} |`);
    }
    out.push('', '**Method**', '');
    for (const row of result.rows) out.push(`- *${row.name}*: ${row.method}`);
    out.push('');
  }
  if (run.skipped.length > 0) {
    out.push('## Not run', '', `Left out of this run by \`--only\`: ${run.skipped.map((s) => `(${s.id}) ${s.title}`).join('; ')}.`, '');
  }
  return out.join('\n');
}
