import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { child, children, clearSites, extensionExports, sandboxInfo, useSites, waitFor } from './support/world';

describe('Request log', function () {
  this.timeout(30_000);

  after(clearSites);

  it('logs every request as method, path, status and duration, and never a key or token', async () => {
    const sb = sandboxInfo();
    await useSites([
      { name: 'Logged BD', kind: 'brilliantDirectories', url: sb.url, key: sb.bdKey },
      { name: 'Logged Copernica', kind: 'copernica', url: sb.url, key: sb.copernicaToken },
    ]);
    await children(await child(await child(undefined, 'Logged BD'), 'Contacts'));
    await children(await child(await child(undefined, 'Logged Copernica'), 'Clicks'));
    const { logUri } = await extensionExports();
    const file = vscode.Uri.joinPath(logUri, 'Directory Records.log');
    const text = await waitFor('the log lines', async () => {
      const content = Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8');
      return /\[Logged BD\] GET \/api\/v2\/contacts\/get\?.* → 200 in \d+ ms/.test(content) && /\[Logged Copernica\] GET \/v2\/ms\/clicks\?.*access_token=\*\*\*.* → 200 in \d+ ms/.test(content) ? content : undefined;
    }, 20_000);
    assert.ok(!text.includes(sb.bdKey), 'the BD key is never logged');
    assert.ok(!text.includes(sb.copernicaToken), 'the Copernica token is never logged');
  });
});
