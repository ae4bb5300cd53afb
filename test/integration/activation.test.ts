// The extension is installed in the host, activates, and its contributed commands and its
// registered commands agree. Everything is read from package.json, so the test follows the
// manifest as it grows.
import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'directory-records.directory-records';
const COMMAND_PREFIX = 'directoryRecords.';

interface Manifest {
  contributes?: {
    commands?: Array<{ command: string; title?: unknown }>;
    views?: Record<string, Array<{ id: string }>>;
  };
}

/** Commands VS Code itself registers for each contributed view (e.g. `<viewId>.focus`). */
function viewDerivedCommands(manifest: Manifest): Set<string> {
  const suffixes = ['focus', 'resetViewLocation', 'toggleVisibility', 'removeView', 'open'];
  const ids = Object.values(manifest.contributes?.views ?? {}).flatMap((views) => views.map((v) => v.id));
  return new Set(ids.flatMap((id) => suffixes.map((s) => `${id}.${s}`)));
}

describe('Activation', () => {
  let ext: vscode.Extension<unknown> | undefined;

  before(() => {
    ext = vscode.extensions.getExtension(EXTENSION_ID);
  });

  it(`the extension ${EXTENSION_ID} is present`, () => {
    assert.ok(ext, `extension ${EXTENSION_ID} not found; present: ${vscode.extensions.all.map((e) => e.id).join(', ')}`);
  });

  it('activates', async () => {
    assert.ok(ext, 'extension not found');
    await ext.activate();
    assert.strictEqual(ext.isActive, true, 'extension is not active after activate()');
  });

  it('contributes at least one command, and every contributed command is registered', async () => {
    assert.ok(ext, 'extension not found');
    await ext.activate();
    const contributed = ((ext.packageJSON as Manifest).contributes?.commands ?? []).map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepStrictEqual(missing, [], `contributed in package.json but not registered: ${missing.join(', ')}`);
  });

  it(`every registered ${COMMAND_PREFIX}* command is contributed in package.json`, async () => {
    assert.ok(ext, 'extension not found');
    await ext.activate();
    const manifest = ext.packageJSON as Manifest;
    const contributed = new Set((manifest.contributes?.commands ?? []).map((c) => c.command));
    const derived = viewDerivedCommands(manifest);
    const registered = (await vscode.commands.getCommands(true)).filter((c) => c.startsWith(COMMAND_PREFIX));
    // Commands VS Code derives from a contributed view are registered by VS Code, not by us.
    const missing = registered.filter((c) => !contributed.has(c) && !derived.has(c));
    assert.deepStrictEqual(missing, [], `registered but missing from package.json contributes.commands: ${missing.join(', ')}`);
  });
});
