import * as vscode from 'vscode';
import type { SiteReads } from './siteApi';
import { siteNameProblem, writeSites, type SiteConfig } from './siteConfig';
import type { KeyBindingError, SiteConnections } from './siteConnections';

/**
 * The configured sites as one thing: each operation keeps settings (the site's entry), secret
 * storage (its key and the address the key is bound to) and the open connection in step, so
 * no caller writes one without the others. Questions and messages stay with the commands; what
 * the tree or open documents must do after a change is theirs too (the registry imports
 * neither).
 */
export class SiteRegistry {
  constructor(private readonly connections: SiteConnections) {}

  get sites(): readonly SiteConfig[] {
    return this.connections.settings.sites;
  }

  /** Why `value` cannot name a new site (empty, breaks record addresses, taken in any case), if so. */
  nameProblem(value: string): string | undefined {
    const name = value.trim();
    if (!name) return vscode.l10n.t('Enter a name.');
    const broken = siteNameProblem(name);
    if (broken) return broken;
    if (this.sites.some((s) => s.name.toLowerCase() === name.toLowerCase())) return vscode.l10n.t('A site named "{0}" exists already.', name);
    return undefined;
  }

  /** Checks a key against the site with a client of its own (nothing is stored); the error when it failed. */
  async verify(site: SiteConfig, key: string): Promise<Error | undefined> {
    let api: SiteReads | undefined;
    try {
      api = await this.connections.probe(site, key);
      await api.verify();
      return undefined;
    } catch (e) {
      return e instanceof Error ? e : new Error(String(e));
    } finally {
      void api?.dispose();
    }
  }

  /** A new site: its key first (bound to its address), then its settings entry, so the tree finds the key. */
  async add(site: SiteConfig, key: string): Promise<void> {
    await this.connections.storeKey(site, key);
    await writeSites([...this.sites, site]);
  }

  /** Deletes the site's key, drops its connection and its settings entry. Nothing on the server changes. */
  async remove(name: string): Promise<void> {
    await this.connections.secrets.delete(name);
    this.connections.forget(name);
    await writeSites(this.sites.filter((s) => s.name !== name));
  }

  /**
   * Replaces the site's settings entry with `updated`. A new name takes the key, its binding and
   * the request count along; `keyFollows` (the user's word) binds the stored key to the new address.
   */
  async update(site: SiteConfig, updated: SiteConfig, options: { keyFollows?: boolean } = {}): Promise<void> {
    if (updated.name !== site.name) await this.connections.rename(site.name, updated.name);
    await writeSites(this.sites.map((s) => (s.name === site.name ? updated : s)));
    if (options.keyFollows) await this.connections.confirmAddress(this.connections.find(updated.name) ?? updated);
  }

  /** Whether a key is stored for the named site. */
  async hasKey(name: string): Promise<boolean> {
    return (await this.connections.secrets.get(name)) !== undefined;
  }

  /** A new key for the site, bound to its address and kind as they are now. */
  setKey(site: SiteConfig, key: string): Promise<void> {
    return this.connections.storeKey(site, key);
  }

  /** The binding that holds the site's stored key back, if any. */
  refusedBinding(site: SiteConfig): Promise<KeyBindingError | undefined> {
    return this.connections.refusedBinding(site);
  }

  /** The user confirmed: the stored key may go to the site's current address. */
  confirmAddress(site: SiteConfig): Promise<void> {
    return this.connections.confirmAddress(site);
  }
}
