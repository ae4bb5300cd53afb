import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

// The webview script (media/clickInsights/main.ts) is bundled by esbuild, which does not type-check,
// and `tsc -p .` leaves it out (it needs the DOM library): it is checked here against the
// messages and aggregates it shares with the extension (src/insights/insightsProtocol.ts).
describe('Click Insights webview script', function () {
  this.timeout(120_000);
  const root = path.resolve(__dirname, '../../../..');

  it('type-checks with the DOM library against the shared message types', () => {
    const tsc = require.resolve('typescript/bin/tsc');
    const run = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'media/clickInsights')], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stdout + run.stderr);
  });

  it('has no inline style, eval or network use (the panel\'s CSP forbids them)', () => {
    const source = fs.readFileSync(path.join(root, 'media/clickInsights/main.ts'), 'utf8');
    assert.doesNotMatch(source, /\.style\b|setAttribute\(\s*'style'|\beval\(|new Function\(|\bfetch\(|XMLHttpRequest|innerHTML\s*=/);
  });
});
