import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

// src/api is the layer shared with plain-Node tools and tests; like GitLens's git layer it must never reach for the editor.
describe('src/api boundary', () => {
  it('no file under src/api imports vscode', () => {
    const root = path.resolve(__dirname, '../../../../src/api');
    const files = fs.readdirSync(root, { recursive: true }).map(String).filter((name) => name.endsWith('.ts'));
    assert.ok(files.length >= 5, `expected the api sources under ${root}`);
    const offenders = files.filter((name) => /(?:from\s+|require\(\s*|import\(\s*)['"]vscode['"]/.test(fs.readFileSync(path.join(root, name), 'utf8')));
    assert.deepEqual(offenders, []);
  });

  it('the compiled api modules load in plain Node, where vscode does not exist', () => {
    const compiled = path.resolve(__dirname, '../../../src/api');
    for (const name of fs.readdirSync(compiled).filter((n) => n.endsWith('.js'))) {
      assert.doesNotThrow(() => require(path.join(compiled, name)), name);
    }
  });
});
