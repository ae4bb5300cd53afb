import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { KeyEchoEncoding } from '../../sandbox/control';
import type { TreeNode } from '../../src/tree/treeNodes';
import { child, children, clearSites, control, extensionExports, item, labelOf, sandboxInfo, useSites } from './support/world';

const BD = 'Echo BD';

/** Every substring of `key` of `min` characters or more that appears in `text`. */
function fragments(text: string, key: string, min = 8): string[] {
  const found = new Set<string>();
  for (let i = 0; i + min <= key.length; i++) if (text.includes(key.slice(i, i + min))) found.add(key.slice(i, i + min));
  return [...found];
}

async function treeText(node: TreeNode | undefined): Promise<string> {
  const parts: string[] = [];
  for (const n of await children(node).catch(() => [])) {
    const shown = await item(n);
    const { tree } = await extensionExports();
    const resolved = tree.resolveTreeItem ? await tree.resolveTreeItem(shown, n, new vscode.CancellationTokenSource().token) : shown;
    parts.push(labelOf(shown), String(shown.description ?? ''), String(typeof resolved?.tooltip === 'string' ? resolved.tooltip : resolved?.tooltip?.value ?? ''));
    if (n.type === 'resource') parts.push(await treeText(n));
  }
  return parts.join('\n');
}

describe('A key echoed by an HTML page', function () {
  this.timeout(60_000);

  before(async () => {
    await control().reset();
    await useSites([{ name: BD, kind: 'brilliantDirectories', url: sandboxInfo().url, key: sandboxInfo().bdKey }]);
  });

  after(async () => {
    await control().reset();
    await clearSites();
  });

  for (const [offset, encoding] of [[160, 'raw'], [190, 'url'], [0, 'html'], [900, 'html-hex']] as [number, KeyEchoEncoding][]) {
    it(`leaves no fragment of it in the tree, its tooltips, a command's error or the log (${encoding}, ${offset} characters in)`, async () => {
      const key = sandboxInfo().bdKey;
      await control().echoKeyPage({ offset, encoding });
      await vscode.commands.executeCommand('directoryRecords.refresh');
      const site = await child(undefined, BD);
      const shown = await treeText(site);
      assert.match(shown, /HTML page/, 'the tree says what came back');
      assert.deepEqual(fragments(shown, key), []);
      // A command that fails the same way: its message goes through the same masking.
      const contacts = await child(site, 'Contacts');
      const failed = await Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.from({ scheme: 'directory-records', path: `/${BD}/contacts/1.json` }))).then(
        () => assert.fail('reading a record through an HTML page cannot succeed'),
        (e: Error) => e.message,
      );
      assert.match(failed, /HTML page/);
      assert.deepEqual(fragments(failed, key), []);
      assert.ok(contacts);
      const { logUri } = await extensionExports();
      const log = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(logUri, 'Directory Records.log'))).toString('utf8');
      assert.deepEqual(fragments(log, key), []);
    });
  }
});
