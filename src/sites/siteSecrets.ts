import * as vscode from 'vscode';

/** One secret per site in VS Code's SecretStorage; keys never go into settings. */
export class SiteSecrets implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly storage: vscode.SecretStorage) {
    this.subscription = storage.onDidChange((event) => {
      if (event.key.startsWith(PREFIX)) this.changed.fire(event.key.slice(PREFIX.length));
    });
  }

  get(siteName: string): Thenable<string | undefined> {
    return this.storage.get(PREFIX + siteName);
  }

  store(siteName: string, secret: string): Thenable<void> {
    return this.storage.store(PREFIX + siteName, secret);
  }

  delete(siteName: string): Thenable<void> {
    return this.storage.delete(PREFIX + siteName);
  }

  /**
   * Development and demo only: a JSON map of site name to key in DIRECTORY_RECORDS_DEV_SECRETS
   * is copied into SecretStorage, so a demo workbench opens connected without anyone typing a key.
   */
  async importFromEnvironment(value: string | undefined): Promise<number> {
    if (!value) return 0;
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      return 0;
    }
    if (typeof parsed !== 'object' || parsed === null) return 0;
    let count = 0;
    for (const [name, secret] of Object.entries(parsed)) {
      if (typeof secret === 'string' && secret && (await this.get(name)) !== secret) {
        await this.store(name, secret);
        count++;
      }
    }
    return count;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

const PREFIX = 'directoryRecords.site:';
