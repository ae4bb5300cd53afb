// The sandbox CLI's argument parsing (node:util parseArgs underneath).

import * as assert from 'node:assert/strict';
import { parseCommandLine, UsageError } from '../../../sandbox/main';

describe('sandbox CLI arguments', () => {
  it('defaults to port 3939 and nothing else', () => {
    assert.deepEqual(parseCommandLine([]), { options: { port: 3939 }, json: false, help: false });
  });

  it('reads every flag, as "--flag value" and "--flag=value"', () => {
    const { options, json, help } = parseCommandLine([
      '--port', '0', '--host=::1', '--rate', '100/60000', '--latency=50', '--errors', '0.1', '--drops=0.05', '--seed', '7',
      '--html', '403', '--freeze-clock', '2026-01-02 03:04:05', '--json',
    ]);
    assert.deepEqual(options, {
      port: 0,
      host: '::1',
      rateLimit: { requests: 100, windowMs: 60000 },
      latencyMs: 50,
      faults: { serverErrorRate: 0.1, dropRate: 0.05, seed: 7 },
      htmlMode: { status: 403 },
      clock: { frozenAt: '2026-01-02 03:04:05' },
    });
    assert.equal(json, true);
    assert.equal(help, false);
    assert.equal(parseCommandLine(['-h']).help, true);
    assert.equal(parseCommandLine(['--help']).help, true);
    assert.deepEqual(parseCommandLine(['--seed', '3']).options.faults, { serverErrorRate: 0, dropRate: 0, seed: 3 });
    assert.equal(parseCommandLine(['--port', '1', '--port', '2']).options.port, 2, 'the last one wins');
  });

  it('refuses unknown flags, stray arguments, missing and bad values with a UsageError', () => {
    const bad = [
      ['--nope'], ['extra'], ['--port'], ['--port', 'x'], ['--port', '70000'], ['--port=1.5'], ['--host='], ['--rate', '100'],
      ['--rate', '0/100'], ['--latency', '-1'], ['--errors', '2'], ['--errors', '0.6', '--drops', '0.6'], ['--seed', '1.5'],
      ['--html', '99'], ['--json=yes'], ['--freeze-clock', 'tomorrow'], ['--freeze-clock', '2026-02-30 00:00:00'],
    ];
    for (const argv of bad) assert.throws(() => parseCommandLine(argv), UsageError, argv.join(' '));
  });
});
