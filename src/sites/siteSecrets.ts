import * as vscode from 'vscode';
import type { ApiKind } from '../api/resources';
import { isLoopbackHost } from '../api/siteUrl';
import { Disposable } from '../lifecycle/disposable';
import { siteOrigin, type SiteConfig } from './siteConfig';

/** Where a key may be sent: the kind and normalised origin it was stored for. */
export interface KeyBinding {
  readonly kind: ApiKind;
  readonly origin: string;
}

export interface StoredKey {
  readonly key: string;
  /** Undefined for a key stored before bindings existed; bound on first use. */
  readonly binding: KeyBinding | undefined;
}

/**
 * One secret per site in VS Code's SecretStorage; keys never go into settings. Each key is
 * stored with the kind and origin it was entered for, so a changed address can never
 * redirect it without the user saying so.
 */
export class SiteSecrets extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<string>());
  readonly onDidChange = this.changed.event;

  constructor(private readonly storage: vscode.SecretStorage) {
    super();
    this._register(
      storage.onDidChange((event) => {
        if (event.key.startsWith(PREFIX)) this.changed.fire(event.key.slice(PREFIX.length));
      }),
    );
  }

  async get(siteName: string): Promise<StoredKey | undefined> {
    const raw = await this.storage.get(PREFIX + siteName);
    return raw ? parseStored(raw) : undefined;
  }

  store(siteName: string, key: string, binding: KeyBinding): Thenable<void> {
    return this.storage.store(PREFIX + siteName, JSON.stringify({ key, kind: binding.kind, origin: binding.origin }));
  }

  delete(siteName: string): Thenable<void> {
    return this.storage.delete(PREFIX + siteName);
  }

  /** A renamed site keeps its key and binding. */
  async move(from: string, to: string): Promise<void> {
    const raw = await this.storage.get(PREFIX + from);
    if (raw === undefined) return;
    await this.storage.store(PREFIX + to, raw);
    await this.storage.delete(PREFIX + from);
  }

  /**
   * Demo and tests only: a JSON map of site name to key in DIRECTORY_RECORDS_DEV_SECRETS fills
   * in keys for configured sites on a loopback address that have none yet. It never replaces a
   * stored key and never touches a site elsewhere, so a production key cannot be affected.
   */
  async importFromEnvironment(value: string | undefined, sites: readonly SiteConfig[]): Promise<number> {
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
      const site = sites.find((s) => s.name === name);
      const origin = site && siteOrigin(site.kind, site.url);
      if (!site || !origin || !isLoopbackHost(new URL(origin).hostname)) continue;
      if (typeof secret !== 'string' || !secret || (await this.storage.get(PREFIX + name)) !== undefined) continue;
      await this.store(name, secret, { kind: site.kind, origin });
      count++;
    }
    return count;
  }
}

const PREFIX = 'directoryRecords.site:';

function parseStored(raw: string): StoredKey {
  try {
    const value = JSON.parse(raw) as Partial<Record<'key' | 'kind' | 'origin', unknown>>;
    if (typeof value === 'object' && value !== null && typeof value.key === 'string' && typeof value.origin === 'string' && (value.kind === 'brilliantDirectories' || value.kind === 'copernica')) {
      return { key: value.key, binding: { kind: value.kind, origin: value.origin } };
    }
  } catch {
    // A key stored before bindings existed is the bare key.
  }
  return { key: raw, binding: undefined };
}
