// Writes l10n/bundle.l10n.json: the strings vscode.l10n.t is called with (found by
// @vscode/l10n-dev) plus every msg`` template of the API layer, which the extension
// translates through vscode.l10n.t at run time (src/api/text.ts).
// Usage: node scripts/export-l10n.mjs [--outDir DIR]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ts = require('typescript');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outIndex = process.argv.indexOf('--outDir');
const outDir = path.resolve(root, outIndex > 0 ? process.argv[outIndex + 1] : 'l10n');

execFileSync(process.execPath, [require.resolve('@vscode/l10n-dev/dist/cli.js'), 'export', '--outDir', outDir, './src'], { cwd: root, stdio: 'pipe' });
const bundleFile = path.join(outDir, 'bundle.l10n.json');
const bundle = JSON.parse(fs.readFileSync(bundleFile, 'utf8'));

/** msg`a ${x} b ${y}` → "a {0} b {1}", as src/api/text.ts builds it at run time. */
function templateOf(node) {
  const template = node.template;
  if (ts.isNoSubstitutionTemplateLiteral(template)) return template.text;
  let text = template.head.text;
  template.templateSpans.forEach((span, i) => {
    text += `{${i}}${span.literal.text}`;
  });
  return text;
}

let found = 0;
for (const file of fs.readdirSync(path.join(root, 'src'), { recursive: true }).map(String).filter((f) => f.endsWith('.ts')).sort()) {
  const source = ts.createSourceFile(file, fs.readFileSync(path.join(root, 'src', file), 'utf8'), ts.ScriptTarget.ES2022, true);
  const visit = (node) => {
    if (ts.isTaggedTemplateExpression(node) && node.tag.getText(source) === 'msg') {
      const text = templateOf(node);
      bundle[text] = text;
      found++;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
fs.writeFileSync(bundleFile, `${JSON.stringify(bundle, null, 2)}\n`);
console.log(`${bundleFile}: ${Object.keys(bundle).length} strings (${found} msg templates)`);
