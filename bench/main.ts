import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs, selectSections, USAGE, UsageError, type CliOptions } from './cli';
import { machineInfo } from './machine';
import { consoleSection, countTargets, markdownReport, type SectionOutcome } from './report';
import { SECTIONS } from './sections';
import { now } from './stats';
import { BrokenMeasurement } from './types';

/** out/bench/main.js → repository root → docs/BENCHMARKS.md */
export const REPORT_PATH = path.resolve(__dirname, '..', '..', 'docs', 'BENCHMARKS.md');

export async function main(argv: readonly string[]): Promise<number> {
  let cli: CliOptions;
  let sections;
  try {
    cli = parseArgs(argv);
    sections = selectSections(SECTIONS, cli.only);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) console.error(error.message);
    console.error(USAGE);
    return error.message ? 2 : 0;
  }

  const machine = machineInfo();
  const started = now();
  const date = new Date();
  console.log(`Directory Records benchmark — ${date.toISOString()}`);
  console.log(`${machine.os}; ${machine.cpu} × ${machine.cores}; ${machine.memory}; Node ${machine.node}; load ${machine.loadAverage.toFixed(2)}\n`);

  const outcomes: SectionOutcome[] = [];
  const broken: string[] = [];
  for (const section of sections) {
    console.error(`(${section.id}) ${section.title}…`);
    const sectionStarted = now();
    try {
      const result = await section.run({ rounds: cli.rounds, fullWindow: cli.fullWindow, progress: (line) => console.error(line) });
      const outcome = { section, result, seconds: (now() - sectionStarted) / 1000 };
      outcomes.push(outcome);
      console.log(`${consoleSection(outcome)}\n`);
    } catch (error) {
      // One broken section must not hide the others' figures, but it does fail the run.
      const what = error instanceof BrokenMeasurement ? 'BROKEN MEASUREMENT' : 'CRASHED';
      const detail = error instanceof Error ? (error instanceof BrokenMeasurement ? error.message : error.stack ?? error.message) : String(error);
      broken.push(`(${section.id}) ${section.title}: ${what}: ${detail}`);
      console.log(`(${section.id}) ${section.title}: ${what}\n  ${detail}\n`);
    }
  }

  const seconds = (now() - started) / 1000;
  const { met, missed } = countTargets(outcomes);
  console.log(`Targets: ${met} MET, ${missed} MISSED. Total ${seconds.toFixed(1)} s.`);

  if (broken.length > 0) {
    console.log(`\n${broken.length} section(s) did not produce a valid measurement:`);
    for (const line of broken) console.log(`  ${line.split('\n')[0]}`);
    // A report built on a broken listing would be believed; keep the previous one instead.
    if (cli.write) console.log(`${path.relative(process.cwd(), REPORT_PATH)} left unchanged.`);
    return 1;
  }
  if (cli.write) {
    const command = ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' ');
    const skipped = SECTIONS.filter((s) => !sections.includes(s));
    writeFileSync(REPORT_PATH, markdownReport({ date, command, machine, seconds, skipped }, outcomes));
    console.log(`Wrote ${path.relative(process.cwd(), REPORT_PATH)}.`);
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
