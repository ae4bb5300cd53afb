import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

// src/api is the layer shared with plain-Node tools and tests; like GitLens's git layer it must
// never reach for the editor. That no file under src/api imports vscode is checked by the linter
// (eslint.config.mjs, `npm run lint`); this checks the compiled modules really load without it.
describe('src/api boundary', () => {
  it('the compiled api modules load in plain Node, where vscode does not exist', async () => {
    const compiled = path.resolve(__dirname, '../../../src/api');
    const names = fs.readdirSync(compiled).filter((n) => n.endsWith('.js'));
    assert.ok(names.length >= 5, `expected the compiled api modules under ${compiled}`);
    for (const name of names) {
      await assert.doesNotReject(import(path.join(compiled, name)), name);
    }
  });
});
