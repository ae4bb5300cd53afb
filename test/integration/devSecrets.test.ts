import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { child, children, clearSites, item, labelOf, waitFor } from './support/world';

// scripts/run-integration.mjs configures both sites before activation and offers a key for each
// through DIRECTORY_RECORDS_DEV_SECRETS, as the demo does.
describe('Demo key import (DIRECTORY_RECORDS_DEV_SECRETS)', function () {
  this.timeout(30_000);

  after(clearSites);

  it('fills in the key of a site on a loopback address', async () => {
    // The import runs beside activation; the tree refreshes when the key lands.
    await waitFor('the imported key to list the site\'s resources', async () => {
      await vscode.commands.executeCommand('directoryRecords.refresh');
      return (await children(await child(undefined, 'Dev Loopback'))).some((n) => n.type === 'resource');
    });
  });

  it('never gives a key to a site elsewhere (checked after the import above has run)', async () => {
    const below = await children(await child(undefined, 'Dev Remote'));
    assert.equal(below.length, 1);
    assert.equal(below[0]!.type, 'message');
    assert.match(labelOf(await item(below[0]!)), /Set API key/i);
  });
});
