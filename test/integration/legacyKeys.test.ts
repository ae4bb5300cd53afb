import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { KeyBindingError, SiteConnections } from '../../src/sites/siteConnections';
import { SiteSecrets } from '../../src/sites/siteSecrets';
import { clearSites, control, sandboxInfo, waitFor } from './support/world';

const SITE = 'Legacy BD';

/** SecretStorage in memory, holding what an older version of the extension stored: the bare key. */
class MemorySecrets implements vscode.SecretStorage {
  readonly values = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  readonly onDidChange = this.changed.event;

  get(key: string): Thenable<string | undefined> {
    return Promise.resolve(this.values.get(key));
  }

  store(key: string, value: string): Thenable<void> {
    this.values.set(key, value);
    this.changed.fire({ key });
    return Promise.resolve();
  }

  delete(key: string): Thenable<void> {
    this.values.delete(key);
    this.changed.fire({ key });
    return Promise.resolve();
  }
}

async function setUserSites(url: string): Promise<void> {
  await vscode.workspace.getConfiguration('directoryRecords').update('sites', [{ name: SITE, kind: 'brilliantDirectories', url }], vscode.ConfigurationTarget.Global);
}

describe('A key stored before keys were tied to an address', function () {
  this.timeout(30_000);
  const received: string[] = [];
  let recorder: http.Server;
  let recorderUrl: string;
  let connections: SiteConnections;
  let storage: MemorySecrets;
  const log = vscode.window.createOutputChannel('Directory Records legacy-key test', { log: true });

  before(async () => {
    recorder = http.createServer((req, res) => {
      received.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"success","message":[]}');
    });
    await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
    recorderUrl = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`;
  });

  beforeEach(async () => {
    await control().reset();
    storage = new MemorySecrets();
    // The format before bindings: the key itself under the site's name.
    const secrets = new SiteSecrets(storage);
    await storage.store(`directoryRecords.site:${SITE}`, sandboxInfo().bdKey);
    connections = new SiteConnections(secrets, log, () => Promise.resolve(true));
  });

  afterEach(async () => {
    connections.dispose();
    await clearSites();
  });

  after(async () => {
    log.dispose();
    await new Promise<void>((resolve) => recorder.close(() => resolve()));
  });

  it('is bound on first use to the address in the user settings, and works there', async () => {
    assert.ok([...storage.values.keys()].some((k) => k.endsWith(SITE)), 'the bare key is stored under the site');
    await setUserSites(sandboxInfo().url);
    const site = await waitFor('the site read', () => connections.find(SITE));
    const api = await connections.api(site);
    assert.ok(api);
    await api.verify();
    const stored = JSON.parse([...storage.values.values()][0]!) as { key: string; kind: string; origin: string };
    assert.deepEqual(stored, { key: sandboxInfo().bdKey, kind: 'brilliantDirectories', origin: new URL(sandboxInfo().url).origin });
  });

  it('once bound, a changed address holds it back: nothing reaches the new address', async () => {
    await setUserSites(sandboxInfo().url);
    await connections.api(await waitFor('the site read', () => connections.find(SITE)));
    await setUserSites(recorderUrl);
    const moved = await waitFor('the new address read', () => connections.find(SITE)?.url === recorderUrl && connections.find(SITE));
    assert.equal(moved.url, recorderUrl);
    await assert.rejects(connections.api(moved), (error: unknown) => error instanceof KeyBindingError && error.message.includes(recorderUrl));
    assert.deepEqual(received, [], 'no request at all went to the new address');
  });
});
