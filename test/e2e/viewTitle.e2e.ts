// The Sites view's title buttons through the real workbench (issue 17, item 1): the + button
// ran Add Site with whatever argument the view title hands its command, took it for a
// programmatic request and failed ("Cannot read properties of undefined (reading 'trim')").
// The flow clicks + with no row selected and again with a site row selected (VS Code may pass
// the focused row), and requires Add Site's first prompt each time, no error notification and no
// `[error]` line in the extension's log.
import * as assert from 'assert';
import type { E2EFlow, SandboxInfo } from './harness';
import {
  clickActivityBarItem,
  errorNotifications,
  extensionChannelLog,
  hideNotificationCenter,
  quickInput,
  waitForQuickInput,
  waitForTreeItem,
  waitForView,
  viewTitleAction,
} from './workbench';

const SITE = 'Title Button Site';

export const flows: E2EFlow[] = [
  {
    name: 'View title: the + button opens Add Site, with or without a selected row, and nothing fails',
    timeoutMs: 60_000,
    settings: (sandbox: SandboxInfo) => ({ 'directoryRecords.sites': [{ name: SITE, kind: 'brilliantDirectories', url: sandbox.url }] }),
    env: (sandbox: SandboxInfo) => ({ DIRECTORY_RECORDS_DEV_SECRETS: JSON.stringify({ [SITE]: sandbox.bdKey }) }),
    async run({ page, userDataDir, log }) {
      await clickActivityBarItem(page, 'Directory Records');
      await waitForView(page, 'Sites');
      const row = await waitForTreeItem(page, 'Sites', SITE);

      for (const when of ['no row selected', 'the site row selected']) {
        if (when !== 'no row selected') await row.click();
        await viewTitleAction(page, 'Add Site').click({ timeout: 30_000 });
        await waitForQuickInput(page, 'Add Site (1/5): kind', { timeoutMs: 15_000 }).catch((error: unknown) => {
          const errors = extensionChannelLog(userDataDir).split('\n').filter((line) => /\[error\]/.test(line));
          throw new Error(`+ with ${when}: no Add Site prompt (${String(error)}); the log says: ${errors.join(' | ') || 'nothing'}`);
        });
        log(`+ with ${when}: Add Site asks for the kind`);
        await page.keyboard.press('Escape');
        await quickInput(page).waitFor({ state: 'hidden', timeout: 10_000 });
      }

      // A failure would have been reported by then: the command's wrapper logs and shows it at once.
      await page.waitForTimeout(500);
      assert.deepStrictEqual(await errorNotifications(page), [], 'no error notification');
      await hideNotificationCenter(page);
      const errors = extensionChannelLog(userDataDir).split('\n').filter((line) => /\[error\]/.test(line));
      assert.deepStrictEqual(errors, [], 'no [error] line in the Directory Records log');
    },
  },
];
