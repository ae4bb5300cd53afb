// Live-site safety through the real workbench (issue 8): Auto Save never writes a record or a
// draft to the site, a `confirm` site asks before every write (Cancel sends nothing, Send sends
// one PUT), and the status bar names the active record's site and its write profile.
// Every flow resets the shared sandbox and asserts on the requests it received.
//
// The harness runs code-server with the smoke-test driver, which suppresses notification
// toasts (NotificationsToasts.addToast returns early under enableSmokeTestDriver): the save
// error and the save hint are read from the notification center instead. Modal dialogs are
// shown as usual.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { SandboxControl } from '../../sandbox/control';
import type { E2EFlow } from './harness';
import {
  activateTab,
  activeEditor,
  clickActivityBarItem,
  clickDialogButton,
  dialogText,
  editorLanguageName,
  hideNotificationCenter,
  isTabDirty,
  notificationCenterMessages,
  notificationMessages,
  notificationText,
  openUntitledEditor,
  pickQuickItem,
  screenshotAround,
  startCommand,
  statusBarItem,
  statusBarItemIcons,
  statusBarItemText,
  tabByResourceName,
  waitForActiveTab,
  waitForDialog,
  waitForEditorText,
  waitForNotification,
  waitForTreeItem,
  waitForView,
  waitUntil,
} from './workbench';
import { sandboxSites, show, writes, freshContact, openContact, requestsSettled } from './sandboxSite';

const SITE = 'E2E Live Site';
// Named like the demo's site, so that its screenshot (docs/images/confirm-write.png) matches the README's others.
const CONFIRM_SITE = 'Sandbox Directory';
/** The extension's status bar item (createStatusBarItem('directoryRecords.site', …)). */
const STATUS_ITEM = 'directoryRecords.site';
/** The name of the record documents' language, as the status bar shows it. */
const RECORD_LANGUAGE = 'Directory Record (JSON)';
/** Longer than files.autoSaveDelay (500 ms): each pause would be an auto-save without the language default. */
const PAUSE_MS = 1500;

/** Auto Save on, globally, after half a second: what the record language's default must outrank. */
const AUTO_SAVE = { 'files.autoSave': 'afterDelay', 'files.autoSaveDelay': 500 };

/** Double-clicks the (one-word) value of `field` on its line in the active editor, selecting it. */
async function selectValue(page: Page, field: string, value: string): Promise<void> {
  const line = activeEditor(page).locator('.view-line', { hasText: `"${field}"` });
  await line.locator('span', { hasText: new RegExp(`^"${value}"$`) }).first().dblclick();
}

/** Entries in the extension's logs (output channel) saying a write without an explicit save was refused. */
function refusedWriteLogLines(userDataDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    let entries: fs.Dirent[] = [];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.log')) found.push(...fs.readFileSync(p, 'utf8').split('\n').filter((l) => l.includes('did not follow an explicit save')));
    }
  };
  walk(path.join(userDataDir, 'logs'));
  return found;
}

/** The site status bar item's label once it names `site`; checks its profile's wording and icon. */
async function expectSiteStatus(page: Page, site: string, profile: string, icon: string): Promise<{ text: string; used: number }> {
  const item = statusBarItem(page, STATUS_ITEM);
  await item.waitFor({ state: 'visible', timeout: 30_000 });
  const pattern = new RegExp(`^${site.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} · ${profile} · (\\d+)/100$`);
  let text = '';
  await waitUntil(page, `the status bar to show "${site} · ${profile} · n/100"`, async () => pattern.test((text = await statusBarItemText(item).catch(() => '')))).catch((e: Error) => {
    throw new Error(`${e.message}; it shows "${text}"`);
  });
  assert.ok((await statusBarItemIcons(item)).includes(icon), `the item shows $(${icon})`);
  return { text, used: Number(pattern.exec(text)![1]) };
}

export const flows: E2EFlow[] = [
  {
    name: 'Auto Save afterDelay: typing a record with pauses, then focusing another editor, sends nothing; Ctrl+S sends one PUT',
    ...sandboxSites({ name: SITE }, AUTO_SAVE),
    timeoutMs: 60_000,
    async run({ page, sandbox, screenshot, userDataDir, log }) {
      const { control, contact, id, label } = await freshContact(sandbox);
      const oldCity = contact['city']!;
      await openContact(page, SITE, label, id);
      const tab = await waitForActiveTab(page, `${id}.json`);
      assert.strictEqual(await editorLanguageName(page), RECORD_LANGUAGE, 'record documents have their own language');
      // The status bar names the active record's site and its profile (a normal site: the globe).
      await expectSiteStatus(page, SITE, 'normal', 'globe');
      await requestsSettled(page, control);
      await control.clearRequests();

      // Type "Portland" over the city in two bursts, each followed by a pause longer than the delay.
      await selectValue(page, 'city', oldCity);
      await page.keyboard.type('Port');
      await page.waitForTimeout(PAUSE_MS); // deliberate: an auto-save would fire here
      await page.keyboard.type('land');
      await page.waitForTimeout(PAUSE_MS); // deliberate
      await waitForEditorText(page, (t) => t.includes('"city": "Portland",'), 'the typed city');
      assert.strictEqual(await isTabDirty(tab), true);

      // Focus another editor (a new untitled file), and wait there too.
      await openUntitledEditor(page);
      await page.waitForTimeout(PAUSE_MS); // deliberate: a focus change or a delay must not save either
      assert.deepStrictEqual(show(await control.requests()), [], 'no request at all since the record was opened');
      assert.strictEqual(await isTabDirty(tabByResourceName(page, `${id}.json`)), true, 'the record tab still shows unsaved changes');
      assert.strictEqual((await control.getRecord('contacts', id))?.['city'], oldCity, 'the site still has the old city');

      // The user is told once that records go on Ctrl+S; no save was even attempted (the
      // language's Auto Save default held, so the write guard behind it never had to refuse).
      await waitForNotification(page, /Records are sent to the site only when you save them \(Ctrl\+S\)/);
      const messages = await notificationCenterMessages(page);
      assert.ok(!messages.some((m) => /Not sent|Failed to save|Not saved/.test(m)), `no failed save: ${JSON.stringify(messages)}`);
      assert.deepStrictEqual(refusedWriteLogLines(userDataDir), [], 'no write was refused by the guard');
      await screenshot('dirty-after-pauses');
      await hideNotificationCenter(page);

      // Back to the record: Ctrl+S sends exactly one PUT with the whole typed value.
      await activateTab(page, `${id}.json`);
      await page.keyboard.press('Control+S');
      await waitUntil(page, 'the dirty mark to clear after Ctrl+S', async () => !(await isTabDirty(tab)));
      await waitUntil(page, 'the sandbox to store "Portland"', async () => (await control.getRecord('contacts', id))?.['city'] === 'Portland');
      const requests = await control.requests();
      log(`after Ctrl+S: ${show(requests).join(', ')}`);
      assert.deepStrictEqual(show(writes(requests)), ['PUT /api/v2/contacts/update'], 'one write');
      assert.deepStrictEqual(writes(requests)[0]!.body, { contact_id: id, city: 'Portland' }, 'the PUT carries the key and the city as typed');
      await screenshot('saved');
    },
  },
  {
    name: 'Auto Save afterDelay: a New Record draft typed with pauses creates nothing; Ctrl+S creates it once',
    ...sandboxSites({ name: SITE }, AUTO_SAVE),
    timeoutMs: 60_000,
    async run({ page, sandbox, screenshot, userDataDir, log }) {
      const control = new SandboxControl(sandbox.url);
      await control.reset();
      await clickActivityBarItem(page, 'Directory Records');
      await waitForView(page, 'Sites');
      await waitForTreeItem(page, 'Sites', SITE);
      await startCommand(page, 'Directory Records: New Record…');
      await pickQuickItem(page, 'New record of which kind?', 'Contacts');
      const tab = await waitForActiveTab(page, 'new-1.json');
      await waitForEditorText(page, (t) => /^\s*"first_name": "",$/m.test(t), 'the draft template');
      assert.strictEqual(await editorLanguageName(page), RECORD_LANGUAGE, 'drafts have the record language too');
      await requestsSettled(page, control);
      await control.clearRequests();

      // Into the empty first_name value: end of its line, then back over `",`.
      await activeEditor(page).locator('.view-line', { hasText: '"first_name"' }).click();
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.type('An');
      await page.waitForTimeout(PAUSE_MS); // deliberate: the pause that once created {"first_name":"An"}
      await page.keyboard.type('na');
      await page.waitForTimeout(PAUSE_MS); // deliberate
      await waitForEditorText(page, (t) => /^\s*"first_name": "Anna",$/m.test(t), 'the typed first name');
      assert.strictEqual(await isTabDirty(tab), true);

      await openUntitledEditor(page);
      await page.waitForTimeout(PAUSE_MS); // deliberate
      assert.deepStrictEqual(show(await control.requests()), [], 'nothing sent, nothing created');
      assert.strictEqual(await isTabDirty(tabByResourceName(page, 'new-1.json')), true, 'the draft is still unsaved');
      assert.deepStrictEqual(refusedWriteLogLines(userDataDir), [], 'no write was refused by the guard');
      await screenshot('draft-after-pauses');

      // Ctrl+S creates it: one POST, and the draft's tab gives way to the new record's.
      await activateTab(page, 'new-1.json');
      await page.keyboard.press('Control+S');
      await waitUntil(page, 'a create request', async () => writes(await control.requests()).length > 0);
      const newTab = page.locator('.part.editor .editor-group-container.active .tabs-container .tab.active').first();
      await waitUntil(page, 'the new record\'s tab to replace the draft', async () => /^\d+\.json$/.test((await newTab.getAttribute('data-resource-name')) ?? ''));
      const newId = /^(\d+)\.json$/.exec((await newTab.getAttribute('data-resource-name'))!)![1]!;
      await waitForEditorText(page, (t) => t.includes(`"contact_id": "${newId}"`) && t.includes('"first_name": "Anna"'), `contact ${newId}`);
      await waitUntil(page, 'the draft tab to close', async () => (await tabByResourceName(page, 'new-1.json').count()) === 0);
      const requests = await control.requests();
      log(`after Ctrl+S: ${show(requests).join(', ')}`);
      assert.deepStrictEqual(show(writes(requests)), ['POST /api/v2/contacts/create'], 'created once');
      assert.deepStrictEqual(writes(requests)[0]!.body, { first_name: 'Anna' }, 'the POST carries the name as typed, nothing else');
      assert.strictEqual((await control.getRecord('contacts', newId))?.['first_name'], 'Anna');
      await screenshot('created');
    },
  },
  {
    name: 'Auto Save turned back on for records by the user: the guard refuses the auto-save (nothing sent, still dirty, says Ctrl+S); Ctrl+S sends one PUT',
    // The user's own language setting outranks the extension's contributed default, so Auto
    // Save really fires here: what is left is the write guard behind the default.
    ...sandboxSites({ name: SITE }, { ...AUTO_SAVE, '[directory-records-json]': { 'files.autoSave': 'afterDelay' } }),
    timeoutMs: 60_000,
    async run({ page, sandbox, screenshot, userDataDir, log }) {
      const { control, contact, id, label } = await freshContact(sandbox);
      const oldCity = contact['city']!;
      await openContact(page, SITE, label, id);
      const tab = await waitForActiveTab(page, `${id}.json`);
      await requestsSettled(page, control);
      await control.clearRequests();

      await selectValue(page, 'city', oldCity);
      await page.keyboard.type('Port');
      await page.waitForTimeout(PAUSE_MS); // deliberate: the auto-save fires in this pause
      const refused = await waitForNotification(page, /Not sent: records are sent to the site only when you save them yourself \(Ctrl\+S\)/);
      log(`auto-save error: "${await notificationText(refused)}"`);
      await screenshot('auto-save-refused');
      await hideNotificationCenter(page);
      await waitUntil(page, 'the refusal in the extension\'s log', () => refusedWriteLogLines(userDataDir).length > 0);
      assert.deepStrictEqual(show(await control.requests()), [], 'the refused auto-save sent nothing, not even a read');
      assert.strictEqual(await isTabDirty(tab), true, 'the edit is kept');
      assert.strictEqual((await control.getRecord('contacts', id))?.['city'], oldCity);

      // Finish the word (the cursor stayed where it was) and save explicitly.
      await activateTab(page, `${id}.json`);
      await waitForEditorText(page, (t) => t.includes('"city": "Port",'), 'the half-typed city kept');
      await selectValue(page, 'city', 'Port');
      await page.keyboard.type('Portland');
      await waitForEditorText(page, (t) => t.includes('"city": "Portland",'), 'the typed city');
      await page.keyboard.press('Control+S');
      await waitUntil(page, 'the dirty mark to clear after Ctrl+S', async () => !(await isTabDirty(tab)));
      await waitUntil(page, 'the sandbox to store "Portland"', async () => (await control.getRecord('contacts', id))?.['city'] === 'Portland');
      const requests = await control.requests();
      log(`after Ctrl+S: ${show(requests).join(', ')}`);
      assert.deepStrictEqual(show(writes(requests)), ['PUT /api/v2/contacts/update'], 'one write');
      assert.deepStrictEqual(writes(requests)[0]!.body, { contact_id: id, city: 'Portland' });
    },
  },
  {
    name: 'confirm site: Ctrl+S shows what will be sent; Cancel sends nothing and keeps the edit; Send sends one PUT; the status bar names the site and profile',
    ...sandboxSites({ name: CONFIRM_SITE, writeProfile: 'confirm' }, { 'files.autoSave': 'off' }),
    timeoutMs: 60_000,
    async run({ page, sandbox, screenshot, outputDir, log }) {
      const { control, contact, id, label } = await freshContact(sandbox);
      const oldCity = contact['city']!;
      const newCity = 'Lisbon';
      await openContact(page, CONFIRM_SITE, label, id);
      const tab = await waitForActiveTab(page, `${id}.json`);

      // The status bar item: the site, its profile, the requests used this minute; a shield.
      const status = await expectSiteStatus(page, CONFIRM_SITE, 'confirm writes', 'shield');
      log(`status bar: "${status.text}"`);
      await screenshotAround(page, statusBarItem(page, STATUS_ITEM), path.join(outputDir, 'status-bar-item.png'), { margin: 6 });
      await screenshotAround(page, page.locator('.part.statusbar'), path.join(outputDir, 'status-bar.png'), { margin: 0 });

      await selectValue(page, 'city', oldCity);
      await page.keyboard.type(newCity);
      await waitForEditorText(page, (t) => t.includes(`"city": "${newCity}",`), 'the new city');
      await waitUntil(page, 'the tab to show unsaved changes', () => isTabDirty(tab));
      await requestsSettled(page, control);
      await control.clearRequests();

      // First Ctrl+S: the modal names the site and the change; Cancel.
      await page.keyboard.press('Control+S');
      let dialog = await waitForDialog(page);
      const shown = await dialogText(dialog);
      assert.strictEqual(shown.message, `Send this to "${CONFIRM_SITE}"?`);
      assert.match(shown.detail, new RegExp(`Change contact ${id}:`));
      assert.match(shown.detail, new RegExp(`city: "${oldCity}" → "${newCity}"`));
      assert.strictEqual(shown.detail.split('\n').filter((l) => l.includes('→')).length, 1, `one field changes: ${shown.detail}`);
      assert.ok(shown.buttons.includes('Send') && shown.buttons.includes('Cancel'), `buttons: ${shown.buttons.join(', ')}`);
      await screenshot('confirm-modal');
      await screenshotAround(page, dialog, path.join(outputDir, 'confirm-modal-dialog.png'), { margin: 48 });
      // Only the fresh read that checks for conflicts has gone out so far.
      assert.deepStrictEqual(show(await control.requests()), [`GET /api/v2/contacts/get/${id}`], 'before the answer: the conflict check only');
      await clickDialogButton(page, dialog, 'Cancel');

      // VS Code's save error says why; the edit is kept, nothing was written.
      const error = await waitForNotification(page, /Not sent: cancelled/);
      log(`save error: "${await notificationText(error)}"`);
      assert.deepStrictEqual(await notificationMessages(page), [], 'no toasts under the smoke-test driver (the error is in the notification center)');
      await screenshot('cancelled');
      await hideNotificationCenter(page);
      assert.strictEqual(await isTabDirty(tab), true, 'the editor keeps its unsaved edit');
      await waitForEditorText(page, (t) => t.includes(`"city": "${newCity}",`), 'the edit kept');
      assert.deepStrictEqual(show(writes(await control.requests())), [], 'Cancel sends nothing');
      assert.strictEqual((await control.getRecord('contacts', id))?.['city'], oldCity);

      // Second Ctrl+S: the modal again; Send → the record is read again, then one PUT.
      await control.clearRequests();
      await activateTab(page, `${id}.json`);
      await page.keyboard.press('Control+S');
      dialog = await waitForDialog(page);
      assert.strictEqual((await dialogText(dialog)).message, `Send this to "${CONFIRM_SITE}"?`);
      const sentAt = Date.now();
      await clickDialogButton(page, dialog, 'Send');
      await waitUntil(page, 'the dirty mark to clear after Send', async () => !(await isTabDirty(tab)));
      await waitUntil(page, `the sandbox to store "${newCity}"`, async () => (await control.getRecord('contacts', id))?.['city'] === newCity);
      const requests = await control.requests();
      log(`after Send: ${show(requests).join(', ')}`);
      assert.deepStrictEqual(show(writes(requests)), ['PUT /api/v2/contacts/update'], 'exactly one write');
      assert.deepStrictEqual(writes(requests)[0]!.body, { contact_id: id, city: newCity }, 'only the changed field (and the key)');
      // Read for the conflict check before the modal, read again after Send, then the PUT.
      const reads = requests.slice(0, requests.findIndex((r) => r.method === 'PUT'));
      const timeline = JSON.stringify(requests.map((r) => [r.method, r.path, `${r.at - sentAt} ms after Send`]));
      assert.deepStrictEqual(show(reads), [`GET /api/v2/contacts/get/${id}`, `GET /api/v2/contacts/get/${id}`], timeline);
      assert.ok(reads[0]!.at < sentAt && reads[1]!.at >= sentAt, `one read before the modal, one after Send: ${timeline}`);
      const stored = (await control.getRecord('contacts', id))!;
      await waitForEditorText(page, (t) => t.includes(`"revision_timestamp": "${stored['revision_timestamp']}"`), 'the saved record as the server has it');
      assert.strictEqual(await isTabDirty(tab), false);
      const after = await expectSiteStatus(page, CONFIRM_SITE, 'confirm writes', 'shield');
      assert.ok(after.used > status.used, `the rate budget counts the save's requests (${status.used} → ${after.used})`);
      await screenshot('sent');
    },
  },
];
