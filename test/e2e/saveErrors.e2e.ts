// A save the extension refuses says why in its own notification, with the action that helps,
// while VS Code's own save error stays one short sentence (issue 17, item 4).
import * as assert from 'assert';
import { SandboxControl } from '../../sandbox/control';
import type { E2EFlow } from './harness';
import {
  activeEditor,
  clickActivityBarItem,
  contactLabel,
  expandTreeItem,
  isTabDirty,
  notificationButtons,
  notificationCenterMessages,
  notificationText,
  pickContact,
  waitForActiveTab,
  waitForEditorText,
  waitForNotification,
  waitForTreeItem,
  waitForView,
  waitUntil,
} from './workbench';
import { sandboxSites } from './sandboxSite';

const SITE = 'E2E Save Errors';

/** The numbers the status bar's problems item shows: [errors, warnings]. */
async function problemCounts(page: import('playwright-core').Page): Promise<number[]> {
  const text = await page.locator('[id="status.problems"]').first().innerText();
  return (text.match(/\d+/g) ?? []).map(Number);
}

export const flows: E2EFlow[] = [
  {
    name: 'Save errors: a number typed into a field, Ctrl+S → our notification says why, with Show Log; VS Code\'s error stays short',
    ...sandboxSites({ name: SITE }, { 'files.autoSave': 'off' }),
    timeoutMs: 60_000,
    async run({ page, sandbox, screenshot }) {
      const control = new SandboxControl(sandbox.url);
      await control.reset();
      const contact = await pickContact((id) => control.getRecord('contacts', id), 238);
      const id = contact['contact_id']!;
      const label = contactLabel(contact);
      await clickActivityBarItem(page, 'Directory Records');
      await waitForView(page, 'Sites');
      await expandTreeItem(page, 'Sites', SITE);
      await expandTreeItem(page, 'Sites', 'Contacts');
      await (await waitForTreeItem(page, 'Sites', label)).click();
      const tab = await waitForActiveTab(page, `${id}.json`);
      await waitForEditorText(page, (t) => t.includes(`"contact_id": "${id}"`), `contact ${id}`);

      // Select the zip code's value with its quotes (from the line's end) and type a bare number over it.
      const shown = contact['zip_code'] === null ? 'null' : `"${contact['zip_code']}"`;
      await activeEditor(page).locator('.view-line', { hasText: '"zip_code"' }).first().click();
      await page.keyboard.press('End');
      for (let i = 0; i < `${shown},`.length; i++) await page.keyboard.press('Shift+ArrowLeft');
      await page.keyboard.type('12345,');
      await waitForEditorText(page, (t) => t.includes('"zip_code": 12345,'), 'the number typed');
      await control.clearRequests();
      await page.keyboard.press('Control+S');

      const ours = await waitForNotification(page, /write "12345" with quotes/);
      const text = await notificationText(ours);
      assert.match(text, /zip_code/);
      assert.deepStrictEqual(await notificationButtons(ours), ['Show Log']);
      await screenshot('our-notification');
      // VS Code's own save error: one short sentence, pointing to ours.
      const all = await notificationCenterMessages(page);
      const vscodes = all.filter((m) => m.includes('Failed to save') || m.includes('Unable to write'));
      assert.ok(vscodes.length > 0 && vscodes.every((m) => !m.includes('with quotes') && m.includes('Directory Records notification')), all.join('\n'));
      assert.strictEqual(await isTabDirty(tab), true, 'the edit is kept');
      assert.deepStrictEqual((await control.requests()).filter((r) => r.method !== 'GET'), [], 'nothing was sent');
    },
  },
  {
    name: 'An untouched contact with the site\'s custom columns has no problem markers; an unknown field the user adds is one error',
    ...sandboxSites({ name: SITE }, { 'files.autoSave': 'off' }),
    timeoutMs: 90_000,
    async run({ page, sandbox, screenshot, log }) {
      const control = new SandboxControl(sandbox.url);
      await control.reset();
      // Contact 236 carries custom_status and member_tier, columns the vendor's field tables do not list.
      const contact = (await control.getRecord('contacts', 236))!;
      assert.ok(contact['custom_status'] && 'member_tier' in contact, 'the sandbox contact has custom columns');
      await clickActivityBarItem(page, 'Directory Records');
      await waitForView(page, 'Sites');
      await expandTreeItem(page, 'Sites', SITE);
      await expandTreeItem(page, 'Sites', 'Contacts');
      await (await waitForTreeItem(page, 'Sites', contactLabel(contact))).click();
      await waitForActiveTab(page, '236.json');
      await waitForEditorText(page, (t) => t.includes('"custom_status"'), 'contact 236 with its custom columns');

      // An unknown field typed by the user is marked (this also shows the markers have been computed)…
      await activeEditor(page).locator('.view-line', { hasText: '"contact_id"' }).first().click();
      await page.keyboard.press('Home');
      await page.keyboard.type('"custm_status": "x",\n');
      await waitUntil(page, 'one error marker for the unknown field', async () => (await problemCounts(page))[0] === 1, { timeoutMs: 20_000 });
      log(`with custm_status typed: ${JSON.stringify(await problemCounts(page))}`);
      // …and taken back, the record as the server has it has none: its own columns are never marked.
      for (let i = 0; i < 6 && (await activeEditor(page).innerText()).includes('custm_status'); i++) await page.keyboard.press('Control+Z');
      await waitForEditorText(page, (t) => !t.includes('custm_status'), 'the typed field undone');
      await waitUntil(page, 'no problem markers', async () => (await problemCounts(page)).every((n) => n === 0), { timeoutMs: 20_000 });
      log(`untouched: ${JSON.stringify(await problemCounts(page))}`);
      await screenshot('custom-columns-no-markers');
    },
  },
];
