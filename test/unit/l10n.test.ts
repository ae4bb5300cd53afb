import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Every vscode.l10n.t string must reach the translators' bundle; a stale bundle means `npm run l10n` was forgotten.
describe('localisation bundle', function () {
  this.timeout(60_000);

  it('l10n/bundle.l10n.json holds exactly the vscode.l10n.t strings and the API layer\'s msg`` templates', () => {
    const root = path.resolve(__dirname, '../../..');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'l10n-'));
    execFileSync(process.execPath, ['scripts/export-l10n.mjs', '--outDir', out], { cwd: root, stdio: 'pipe' });
    const fresh = JSON.parse(fs.readFileSync(path.join(out, 'bundle.l10n.json'), 'utf8'));
    const committed = JSON.parse(fs.readFileSync(path.join(root, 'l10n/bundle.l10n.json'), 'utf8'));
    assert.deepEqual(Object.keys(committed).sort(), Object.keys(fresh).sort());
    assert.ok(Object.keys(fresh).length > 150);
    assert.ok('Not found: {0} (HTTP 404{1}). The record may have been deleted.' in fresh, 'API templates are in the bundle');
  });

  it('every %key% in package.json has a string in package.nls.json', () => {
    const root = path.resolve(__dirname, '../../..');
    const manifest = fs.readFileSync(path.join(root, 'package.json'), 'utf8');
    const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8'));
    const keys = [...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]!);
    assert.ok(keys.length > 20);
    assert.deepEqual(keys.filter((k) => !(k in nls)), []);
  });
});
