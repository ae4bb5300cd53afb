// The extension's activity bar entry and its Sites view.
import * as assert from 'assert';
import type { E2EFlow } from './harness';
import { activityBarItem, clickActivityBarItem, runCommand, sideBarTitle, waitForActivation, waitForView } from './workbench';

export const flows: E2EFlow[] = [
  {
    name: 'activity bar: "Directory Records" opens the Sites view',
    async run({ page, userDataDir, screenshot }) {
      await activityBarItem(page, 'Directory Records').waitFor({ state: 'visible', timeout: 30_000 });
      await clickActivityBarItem(page, 'Directory Records');
      await waitForView(page, 'Sites');
      assert.match(await sideBarTitle(page), /Directory Records/i);
      // Opening the view activates the extension (onView:directoryRecords.sites).
      await waitForActivation(page, userDataDir);
      await screenshot('sites-view');
    },
  },
  {
    // The view is named "Directory Records" (its id stays directoryRecords.sites), so VS Code's
    // focus command reads "Focus on Directory Records View".
    name: 'command palette: "Focus on Directory Records View" shows the Sites view',
    async run({ page, userDataDir }) {
      await runCommand(page, 'Directory Records: Focus on Directory Records View');
      await waitForView(page, 'Sites');
      assert.strictEqual(await activityBarItem(page, 'Directory Records').getAttribute('aria-selected'), 'true');
      await waitForActivation(page, userDataDir);
    },
  },
];
