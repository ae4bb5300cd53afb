// Editing, saving and deleting records through the UI (issue 5), against a workbench with one
// Brilliant Directories site already configured (settings + DIRECTORY_RECORDS_DEV_SECRETS, as
// `npm run demo` does). Every flow resets the shared sandbox first and asserts on what the
// sandbox received through its control API.
import * as assert from 'assert';
import type { Page } from 'playwright-core';
import type { E2EFlow } from './harness';
import {
  activeEditor,
  clickActivityBarItem,
  clickContextMenuItem,
  clickDialogButton,
  dialogText,
  expandTreeItem,
  hideNotificationCenter,
  isTabDirty,
  notificationText,
  pickQuickItem,
  startCommand,
  treeRow,
  treeRowDescription,
  waitForActiveTab,
  waitForDialog,
  waitForEditorText,
  waitForNotification,
  waitForTreeItem,
  waitForView,
  waitUntil,
} from './workbench';
import { sandboxSites, show, writes, freshContact } from './sandboxSite';

const SITE = 'E2E Directory';

/** One BD site in the user settings, its key preloaded into SecretStorage on activation. */
// The web workbench saves a second after typing stops (files.autoSave defaults to
// "afterDelay" in code-server); these flows save with Ctrl+S, as on the desktop.
const preconfigured = sandboxSites({ name: SITE }, { 'files.autoSave': 'off' });

/** Shows the Sites view with the site and its Contacts expanded, and waits for the contact's row. */
async function showContact(page: Page, label: string): Promise<void> {
  await clickActivityBarItem(page, 'Directory Records');
  await waitForView(page, 'Sites');
  await expandTreeItem(page, 'Sites', SITE);
  await expandTreeItem(page, 'Sites', 'Contacts');
  await waitForTreeItem(page, 'Sites', label);
}

/** Opens the contact from the tree (a click on its row) and waits for its JSON in the editor. */
async function openContact(page: Page, label: string, id: string): Promise<void> {
  await showContact(page, label);
  await (await waitForTreeItem(page, 'Sites', label)).click();
  await waitForActiveTab(page, `${id}.json`);
  await waitForEditorText(page, (t) => t.includes(`"contact_id": "${id}"`), `contact ${id}`);
}

export const flows: E2EFlow[] = [
  {
    name: 'Edit a record: change the city by typing, Ctrl+S → one PUT with just that field, the dirty mark clears',
    ...preconfigured,
    timeoutMs: 60_000,
    async run({ page, sandbox, screenshot }) {
      const { control, contact, id, label } = await freshContact(sandbox);
      const oldCity = contact['city']!;
      const newCity = 'Reykjavík';
      await openContact(page, label, id);
      const tab = await waitForActiveTab(page, `${id}.json`);
      assert.strictEqual(await isTabDirty(tab), false);

      // Double-click the city's value (selects the word between the quotes) and type over it.
      const cityLine = activeEditor(page).locator('.view-line', { hasText: '"city"' });
      await cityLine.locator('span', { hasText: new RegExp(`^"${oldCity}"$`) }).first().dblclick();
      await page.keyboard.type(newCity);
      await waitForEditorText(page, (t) => t.includes(`"city": "${newCity}",`), 'the new city');
      await waitUntil(page, 'the tab to show unsaved changes', () => isTabDirty(tab));
      await screenshot('edited');

      await control.clearRequests();
      await page.keyboard.press('Control+S');
      await waitUntil(page, 'the dirty mark to clear after Ctrl+S', async () => !(await isTabDirty(tab)));
      await waitUntil(page, 'the sandbox to store the new city', async () => (await control.getRecord('contacts', id))?.['city'] === newCity);

      const requests = await control.requests();
      assert.deepStrictEqual(show(requests), [`GET /api/v2/contacts/get/${id}`, 'PUT /api/v2/contacts/update', `GET /api/v2/contacts/get/${id}`], 'check, write, re-read');
      assert.deepStrictEqual(requests[1]!.body, { contact_id: id, city: newCity }, 'the PUT carries the key and the one changed field');
      const stored = (await control.getRecord('contacts', id))!;
      assert.notStrictEqual(stored['revision_timestamp'], contact['revision_timestamp'], 'the write bumped the revision');
      // The editor then shows the server's version, its new revision_timestamp included.
      await waitForEditorText(page, (t) => t.includes(`"revision_timestamp": "${stored['revision_timestamp']}"`), 'the saved record as the server has it');
      assert.strictEqual(await isTabDirty(tab), false);
      await screenshot('saved');
    },
  },
  {
    name: 'Delete from the tree: the modal Cancel keeps it, Delete removes it; Restore Deleted Record brings it back under a new id',
    ...preconfigured,
    timeoutMs: 60_000,
    async run({ page, sandbox, screenshot }) {
      const { control, contact, id, label } = await freshContact(sandbox);
      await showContact(page, label);
      const row = () => treeRow(page, 'Sites', label);
      const expected = `Delete contact ${id}, ${label}? This cannot be undone on the server.`;

      // First time: Cancel.
      await clickContextMenuItem(page, row(), 'Delete Record');
      let dialog = await waitForDialog(page);
      const shown = await dialogText(dialog);
      assert.strictEqual(shown.message, expected);
      assert.match(shown.detail, /Restore Deleted Record/);
      assert.ok(shown.buttons.includes('Delete') && shown.buttons.includes('Cancel'), `buttons: ${shown.buttons.join(', ')}`);
      await screenshot('delete-dialog');
      await control.clearRequests();
      await clickDialogButton(page, dialog, 'Cancel');
      assert.deepStrictEqual(show(writes(await control.requests())), [], 'Cancel sends nothing');
      assert.ok(await control.getRecord('contacts', id), 'still on the server');
      await row().waitFor({ state: 'visible' });

      // Second time: Delete.
      await clickContextMenuItem(page, row(), 'Delete Record');
      dialog = await waitForDialog(page);
      assert.strictEqual((await dialogText(dialog)).message, expected);
      await clickDialogButton(page, dialog, 'Delete');
      await row().waitFor({ state: 'detached', timeout: 30_000 });
      const deletes = writes(await control.requests());
      assert.deepStrictEqual(show(deletes), ['DELETE /api/v2/contacts/delete']);
      assert.deepStrictEqual(deletes[0]!.body, { contact_id: id });
      assert.strictEqual(await control.getRecord('contacts', id), undefined, 'gone from the server');
      const count = () => treeRowDescription(treeRow(page, 'Sites', 'Contacts'));
      await waitUntil(page, 'Contacts to count 237', async () => (await count()) === '237');
      await waitForTreeItem(page, 'Sites', 'Load more (24 of 237)');
      await screenshot('deleted');

      // Restore it from the palette.
      await startCommand(page, 'Directory Records: Restore Deleted Record…');
      await pickQuickItem(page, 'Restore Deleted Record', label);
      const note = await waitForNotification(page, new RegExp(`^Restored contact ${id} as a new record with id \\d+`));
      const newId = /with id (\d+)/.exec(await notificationText(note))![1]!;
      assert.notStrictEqual(newId, id);
      await hideNotificationCenter(page);
      const restored = await control.getRecord('contacts', newId);
      assert.ok(restored, `the sandbox has contact ${newId}`);
      for (const field of ['email', 'first_name', 'last_name', 'city', 'phone_number']) assert.strictEqual(restored[field], contact[field], field);
      assert.strictEqual(await control.getRecord('contacts', id), undefined, 'the old id stays unused');
      // The restored record opens in an editor and is back in the tree.
      await waitForActiveTab(page, `${newId}.json`);
      await waitForEditorText(page, (t) => t.includes(`"contact_id": "${newId}"`) && t.includes(`"email": ${JSON.stringify(contact['email'])}`), `contact ${newId}`);
      await waitForTreeItem(page, 'Sites', label);
      await waitUntil(page, 'Contacts to count 238 again', async () => (await count()) === '238');
      await screenshot('restored');
    },
  },
  {
    name: 'A failed save keeps the edits: invalid JSON, Ctrl+S → "Not saved" error, still dirty, no PUT',
    ...preconfigured,
    timeoutMs: 60_000,
    async run({ page, sandbox, screenshot }) {
      const { control, id, label } = await freshContact(sandbox);
      await openContact(page, label, id);
      const tab = await waitForActiveTab(page, `${id}.json`);

      // Click into the text, go to the very end, and delete the closing brace.
      await activeEditor(page).locator('.view-line', { hasText: '"contact_id"' }).click();
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Backspace');
      await page.keyboard.press('Backspace');
      const typed = await waitForEditorText(page, (t) => !/^\}\s*$/m.test(t) && t.includes('"user_consent"'), 'the closing brace removed');
      await waitUntil(page, 'the tab to show unsaved changes', () => isTabDirty(tab));

      await control.clearRequests();
      await page.keyboard.press('Control+S');
      const error = await waitForNotification(page, /Not saved: The document is not valid JSON/);
      assert.match(await notificationText(error), /Nothing was sent/);
      await screenshot('not-saved');
      await hideNotificationCenter(page);
      assert.strictEqual(await isTabDirty(tab), true, 'the editor keeps its unsaved edits');
      assert.strictEqual(await waitForEditorText(page, (t) => t === typed, 'the typed text kept'), typed);
      assert.deepStrictEqual(show(writes(await control.requests())), [], 'nothing was written');
      assert.ok((await control.getRecord('contacts', id))?.['contact_id'] === id);
    },
  },
];
