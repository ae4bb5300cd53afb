// Save history through the real workbench (issue 20): a record saved from its editor is kept in
// the history; Show Save History, clicked in the editor's title bar, lists the save, and its
// changes open as a diff of the old city → the new one.
import * as assert from 'assert';
import type { Page } from 'playwright-core';
import type { E2EFlow } from './harness';
import { activeEditor, dismissHover, editorTitleAction, editorTitleActionLabels, isTabDirty, pickQuickItem, quickInput, waitForActiveTab, waitForDiffText, waitForEditorText, waitForQuickInput, waitUntil } from './workbench';
import { freshContact, openContact, requestsSettled, sandboxSites, show, writes } from './sandboxSite';

const SITE = 'E2E History Site';

/** Types `value` over the (one-word) value of `field` in the active editor: a double-click selects it. */
async function typeOver(page: Page, field: string, old: string, value: string): Promise<void> {
  const line = activeEditor(page).locator('.view-line', { hasText: `"${field}"` });
  await line.locator('span', { hasText: new RegExp(`^"${old}"$`) }).first().dblclick();
  await page.keyboard.type(value);
  await waitForEditorText(page, (t) => t.includes(`"${field}": ${JSON.stringify(value)},`), `the typed ${field}`);
}

const line = (field: string, value: string): string => `"${field}": ${JSON.stringify(value)},`;

export const flows: E2EFlow[] = [
  {
    name: 'Save history: edit a record, Ctrl+S; Show Save History from the editor title lists the save; its changes open as a diff of old → new',
    ...sandboxSites({ name: SITE }, { 'files.autoSave': 'off' }),
    timeoutMs: 120_000,
    async run({ page, sandbox, screenshot, log }) {
      const { control, contact, id, label } = await freshContact(sandbox);
      const oldCity = contact['city']!;
      const newCity = 'Hammerfest';
      await openContact(page, SITE, label, id);
      const tab = await waitForActiveTab(page, `${id}.json`);
      await requestsSettled(page, control);

      await typeOver(page, 'city', oldCity, newCity);
      await waitUntil(page, 'the tab to show unsaved changes', () => isTabDirty(tab));
      await control.clearRequests();
      await page.keyboard.press('Control+S');
      await waitUntil(page, 'the sandbox to store the new city', async () => (await control.getRecord('contacts', id))?.['city'] === newCity);
      await waitUntil(page, 'the dirty mark to clear after Ctrl+S', async () => !(await isTabDirty(tab)));
      assert.deepStrictEqual(show(writes(await control.requests())), ['PUT /api/v2/contacts/update']);

      // The history icon in the record editor's title bar.
      log(`editor title actions: ${JSON.stringify(await editorTitleActionLabels(page))}`);
      await dismissHover(page);
      await editorTitleAction(page, 'Show Save History').click();
      await waitForQuickInput(page, new RegExp(`^\\s*Save History of contact ${id}\\s*$`));
      const rows = quickInput(page).locator('.monaco-list-row');
      await rows.first().waitFor({ state: 'visible' });
      const shown = await rows.allInnerTexts();
      log(`history entries: ${JSON.stringify(shown)}`);
      assert.strictEqual(shown.length, 1, 'one save kept');
      assert.match(shown[0]!, /saved in its editor/);
      assert.ok(shown[0]!.includes(`city: ${JSON.stringify(oldCity)} → ${JSON.stringify(newCity)}`), `the entry names the field old → new: ${shown[0]}`);
      await screenshot('history-list');
      await page.keyboard.press('Enter');

      await pickQuickItem(page, /^\s*Version of /, 'Show the Changes of This Save');
      const { original, modified } = await waitForDiffText(page, (left, right) => left.includes(line('city', oldCity)) && right.includes(line('city', newCity)), `${oldCity} → ${newCity}`);
      assert.ok(!original.includes(line('city', newCity)) && !modified.includes(line('city', oldCity)));
      await screenshot('history-diff');
      // Showing the history only read local files: nothing more was sent to the site.
      assert.deepStrictEqual(show(writes(await control.requests())), ['PUT /api/v2/contacts/update']);
    },
  },
];
