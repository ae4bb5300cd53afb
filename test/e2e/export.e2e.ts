// Export Records… through the workbench UI (issue 11, item 1): the resource's context menu, the
// format quick pick, and code-server's save dialog (the "simple" file dialog: a quick input with
// the path, prefilled with <site>-<resource>-<date>.csv in the workspace folder).
import * as assert from 'assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { SandboxControl } from '../../sandbox/control';
import type { E2EFlow, SandboxInfo } from './harness';
import {
  clickActivityBarItem,
  clickContextMenuItem,
  dismissHover,
  expandTreeItem,
  pickQuickItem,
  quickInput,
  treeRow,
  treeRowDescription,
  waitForNotification,
  waitForQuickInput,
  waitForView,
  waitUntil,
} from './workbench';

const SITE = 'Sandbox Directory';

export const flows: E2EFlow[] = [
  {
    name: 'Export contacts to CSV from the context menu: the save dialog\'s file, parsed, holds the 238 contacts plus a header',
    settings: (sandbox: SandboxInfo) => ({ 'directoryRecords.sites': [{ name: SITE, kind: 'brilliantDirectories', url: sandbox.url }] }),
    env: (sandbox: SandboxInfo) => ({ DIRECTORY_RECORDS_DEV_SECRETS: JSON.stringify({ [SITE]: sandbox.bdKey }) }),
    timeoutMs: 120_000,
    async run({ page, sandbox, workspace, screenshot }) {
      const control = new SandboxControl(sandbox.url);
      await control.reset();
      await clickActivityBarItem(page, 'Directory Records');
      await waitForView(page, 'Sites');
      await expandTreeItem(page, 'Sites', SITE);
      await dismissHover(page);
      const contacts = treeRow(page, 'Sites', /^Contacts$/);
      await contacts.waitFor({ state: 'visible', timeout: 30_000 });
      await control.clearRequests();

      await clickContextMenuItem(page, contacts, 'Export Records…');
      await pickQuickItem(page, 'Export as', 'CSV');
      // The save dialog: code-server's simple dialog, a path in a quick input.
      const input = await waitForQuickInput(page, /Export Contacts of Sandbox Directory/);
      const day = new Date().toISOString().slice(0, 10);
      const expectedName = `Sandbox-Directory-contacts-${day}.csv`;
      await waitUntil(page, 'the dialog to suggest the file name', async () => (await input.inputValue()).endsWith(expectedName));
      const suggested = await input.inputValue();
      await screenshot('save-dialog');
      await page.keyboard.press('Enter');
      await quickInput(page).waitFor({ state: 'hidden', timeout: 30_000 });

      const file = path.join(workspace, expectedName);
      await waitForNotification(page, /Exported 238 records to/, { timeoutMs: 60_000 });
      await screenshot('exported');
      assert.ok(suggested.includes(path.basename(workspace)), `suggested in the workspace folder: ${suggested}`);
      const rows = parse(fs.readFileSync(file), { bom: true }) as string[][];
      assert.equal(rows.length, 239, '238 records plus a header');
      const header = rows[0]!;
      assert.equal(header[0], 'contact_id');
      const ids = rows.slice(1).map((row) => Number(row[0]));
      assert.deepStrictEqual([...ids].sort((a, b) => a - b), Array.from({ length: 238 }, (_, i) => i + 1), 'every contact once');
      const jane = (await control.getRecord('contacts', 1))!;
      const row = rows.find((r) => r[0] === '1')!;
      for (const [column, value] of Object.entries(jane)) assert.equal(row[header.indexOf(column)], guard(value ?? ''), `contact 1, ${column}`);
      assert.deepStrictEqual(fs.readdirSync(workspace).filter((name) => name.includes('contacts')), [expectedName], 'no temporary file left');
      const listings = (await control.requests()).filter((r) => r.path === '/api/v2/contacts/get');
      assert.deepStrictEqual(listings.map((r) => r.query['limit'] ?? '(cursor)').slice(0, 1), ['100'], 'pages of 100');
      assert.equal(listings.length, 3, '238 contacts in three pages of 100');
      assert.match(await treeRowDescription(contacts), /238/);
    },
  },
];

/** The CSV formula guard as README "Export" describes it (on by default). */
function guard(value: string): string {
  return /^[=+\-@\t\r]/.test(value) && !/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(value) ? `'${value}` : value;
}
