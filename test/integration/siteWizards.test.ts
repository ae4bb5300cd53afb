// Add Site and Edit Site answered through their own prompts (not the tests' programmatic
// answers): the questions they ask, in order, and what ends up in settings and secret storage.
// The prompts are answered by replacing vscode.window's functions, which the extension shares
// with this test (support/dialogs.ts does the same for messages).
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { child, children, clearSites, closeAllEditors, control, item, labelOf, sandboxInfo, useSites } from './support/world';

/** One prompt's answer: the title it must have, and the item to pick (by label) or the text to type; undefined closes it. */
interface PromptAnswer {
  readonly title: string;
  readonly pick?: RegExp;
  readonly type?: string;
  /** What the box must show pre-filled. */
  readonly value?: string;
}

/** One message's answer: the text it must match and the button to press (undefined: closed). */
interface MessageAnswer {
  readonly message: RegExp;
  readonly button?: string;
}

type Window = { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };

/** Answers the prompts and warnings in order, as a person would; records what was asked; `restore` puts VS Code's functions back. */
function answer(prompts: PromptAnswer[], messages: MessageAnswer[] = []): { asked: string[]; restore(): void } {
  const window = vscode.window as Window;
  const saved = { showQuickPick: window.showQuickPick, showInputBox: window.showInputBox, showWarningMessage: window.showWarningMessage, showInformationMessage: window.showInformationMessage };
  const asked: string[] = [];
  const nextPrompt = (title: string | undefined): PromptAnswer => {
    asked.push(title ?? '');
    const next = prompts.shift();
    assert.ok(next, `an unexpected prompt: ${title}`);
    assert.equal(title, next.title);
    return next;
  };
  window.showQuickPick = (async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>, options?: vscode.QuickPickOptions) => {
    const next = nextPrompt(options?.title);
    if (!next.pick) return undefined;
    const picked = (await items).find((i) => next.pick!.test(i.label));
    assert.ok(picked, `no item ${String(next.pick)} in "${options?.title}"`);
    return picked;
  }) as never;
  window.showInputBox = (async (options?: vscode.InputBoxOptions) => {
    const next = nextPrompt(options?.title);
    if (next.value !== undefined) assert.equal(options?.value, next.value, `what "${options?.title}" shows pre-filled`);
    if (next.type === undefined) return undefined;
    // The box would not accept what its own check refuses.
    assert.equal(await options?.validateInput?.(next.type), undefined, `"${options?.title}" accepts ${next.type}`);
    return next.type;
  }) as never;
  window.showWarningMessage = ((message: string) => {
    asked.push(message);
    const next = messages.shift();
    assert.ok(next, `an unexpected warning: ${message}`);
    assert.match(message, next.message);
    return Promise.resolve(next.button);
  }) as never;
  window.showInformationMessage = ((message: string) => {
    asked.push(message);
    return Promise.resolve(undefined);
  }) as never;
  return { asked, restore: () => Object.assign(window, saved) };
}

/** The rows under the site that say its key was held back (each is the fix: Set API Key). */
async function heldBack(site: string): Promise<vscode.TreeItem[]> {
  await vscode.commands.executeCommand('directoryRecords.refresh');
  const rows = await Promise.all((await children(await child(undefined, site))).map(item));
  return rows.filter((row) => /held back/i.test(labelOf(row)));
}

const userSites = () => vscode.workspace.getConfiguration('directoryRecords').inspect<unknown[]>('sites')?.globalValue;

describe('Site wizards through their prompts', function () {
  this.timeout(60_000);
  let answered: ReturnType<typeof answer> | undefined;

  // The harness starts with sites configured (devSecrets.test.ts); these tests start from none.
  before(clearSites);

  afterEach(async () => {
    answered?.restore();
    answered = undefined;
    await closeAllEditors();
    await clearSites();
  });

  it('Add Site: a refused key keeps the answers; the next Add Site continues and asks only for the key, pre-filled', async () => {
    const sb = sandboxInfo();
    await control().clearRequests();
    answered = answer(
      [
        { title: 'Add Site (1/5): kind', pick: /^Brilliant Directories$/ },
        { title: 'Add Site (2/5): name', type: ' Wizard Site ' },
        { title: 'Add Site (3/5): address', type: `${sb.url}/api/v2/` },
        { title: 'Add Site (4/5): write profile', pick: /^Confirm every write$/ },
        { title: 'Add Site (5/5): key', type: 'not-the-key' },
      ],
      [{ message: /^Could not verify "Wizard Site": .*Retry asks for the key again\.$/ }],
    );
    assert.equal(await vscode.commands.executeCommand('directoryRecords.addSite'), undefined);
    assert.equal(userSites(), undefined, 'nothing saved');
    answered.restore();

    answered = answer([
      { title: 'Add Site', pick: /Continue with "Wizard Site"/ },
      { title: 'Add Site: key for "Wizard Site"', value: 'not-the-key', type: sb.bdKey },
    ]);
    assert.equal(await vscode.commands.executeCommand('directoryRecords.addSite'), 'Wizard Site');
    assert.deepEqual(userSites(), [{ name: 'Wizard Site', kind: 'brilliantDirectories', url: sb.url, writeProfile: 'confirm' }]);
    assert.ok(answered.asked.includes('Added "Wizard Site"; the key works.'), JSON.stringify(answered.asked));
    const verified = (await control().requests()).filter((r) => r.path === '/api/v2/token/verify').map((r) => r.status);
    assert.deepEqual(verified, [401, 200]);
    const contacts = await child(await child(undefined, 'Wizard Site'), 'Contacts');
    assert.ok((await children(contacts)).some((n) => n.type === 'record'), 'the stored key is used');
  });

  it('Edit Site: a new name moves the key; a new address sends the key there only when the person says so', async () => {
    const sb = sandboxInfo();
    await useSites([{ name: 'Editable', kind: 'brilliantDirectories', url: sb.url, key: sb.bdKey }]);
    answered = answer([
      { title: 'Edit Site "Editable"', pick: /^Name$/ },
      { title: 'Edit Site "Editable": name', value: 'Editable', type: 'Edited' },
    ]);
    assert.equal(await vscode.commands.executeCommand('directoryRecords.editSite', 'Editable'), 'Edited');
    assert.deepEqual(userSites(), [{ name: 'Edited', kind: 'brilliantDirectories', url: sb.url }]);
    answered.restore();
    assert.ok((await children(await child(undefined, 'Edited'))).some((n) => n.type === 'resource'), 'the key works under the new name');

    // Another origin (nothing needs to answer there): the key is bound to the sandbox's.
    const elsewhere = sb.url.replace('127.0.0.1', 'localhost');
    assert.notEqual(elsewhere, sb.url);
    answered = answer(
      [
        { title: 'Edit Site "Edited"', pick: /^Address$/ },
        { title: 'Edit Site "Edited": address', value: sb.url, type: elsewhere },
      ],
      [{ message: new RegExp(`^Send the key of "Edited" to ${elsewhere.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} from now on\\?$`), button: 'Send the Stored Key There' }],
    );
    assert.equal(await vscode.commands.executeCommand('directoryRecords.editSite', 'Edited'), 'Edited');
    assert.deepEqual(userSites(), [{ name: 'Edited', kind: 'brilliantDirectories', url: elsewhere }]);
    answered.restore();
    assert.equal((await heldBack('Edited')).length, 0, 'the key follows to the address the person confirmed');

    // Back to the sandbox, closing the question: the key stays bound to where it was sent last.
    answered = answer(
      [
        { title: 'Edit Site "Edited"', pick: /^Address$/ },
        { title: 'Edit Site "Edited": address', value: elsewhere, type: sb.url },
      ],
      [{ message: /^Send the key of "Edited" to / }],
    );
    assert.equal(await vscode.commands.executeCommand('directoryRecords.editSite', 'Edited'), 'Edited');
    assert.deepEqual(userSites(), [{ name: 'Edited', kind: 'brilliantDirectories', url: sb.url }]);
    answered.restore();
    assert.equal((await heldBack('Edited')).length, 1, 'the key is held back until the new address is confirmed');
  });
});
