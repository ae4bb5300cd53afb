import * as vscode from 'vscode';
import { isApiError } from '../api/errors';
import { Disposable } from '../lifecycle/disposable';
import { KeyBindingError } from '../sites/siteConnections';
import type { RecordsTreeModel } from './recordsTreeModel';

/** What the site's refusals said about its key. */
export type KeyHealth =
  /** Nothing refused since the last refresh (or a check could not tell: no key, no network). */
  | { readonly state: 'unknown' }
  /** A refusal was an endpoint's: the key itself is valid. */
  | { readonly state: 'valid' }
  /** The key itself is refused: the site row says it, once, with Set API Key. */
  | { readonly state: 'dead'; readonly error: Error }
  /** The stored key was not sent: it was entered for another address (Set API Key confirms it). */
  | { readonly state: 'heldBack'; readonly error: Error };

/**
 * Tells a dead key from an endpoint the key may not use. The clients do the telling: BD answers
 * 401 and 403 alike, so the BD client asks token/verify once on either and reports `invalidKey`
 * (the key is dead) or `forbidden` (the endpoint is not enabled for it); a refused Copernica
 * token is always the account's. So a refusal anywhere under a site (a listing, the unread
 * count) is enough, and nothing here sends a request for it.
 *
 * A dead verdict outlives a refresh until one key check (BD token/verify, Copernica a one-click
 * listing) says otherwise, so refreshing a site with a dead key costs one request, not one per
 * resource; a new key refreshes everything and so is checked the same way.
 */
export class SiteHealth extends Disposable {
  private readonly verdicts = new Map<string, KeyHealth>();
  /** Per site, bumped by each recheck, so a late answer to an older one is dropped. */
  private readonly generations = new Map<string, number>();
  private readonly changed = this._register(new vscode.EventEmitter<string>());
  /** A site's verdict changed (the site's name). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly model: RecordsTreeModel) {
    super();
    this._register(
      model.onDidChange((change) => {
        if (!change) for (const site of [...this.verdicts.keys()]) this.refreshed(site);
        else if (!change.model) this.refreshed(change.site);
        else this.report(change.site, model.state({ site: change.site, model: change.model }).error);
      }),
    );
  }

  health(site: string): KeyHealth {
    return this.verdicts.get(site) ?? { state: 'unknown' };
  }

  /** What a failed request under the site says about its key (anything but a refusal or a held-back key says nothing). */
  report(site: string, error: unknown): void {
    if (error instanceof KeyBindingError) this.set(site, { state: 'heldBack', error });
    else if (isApiError(error, 'invalidKey')) this.set(site, { state: 'dead', error });
    else if (isApiError(error, 'forbidden') && this.health(site).state !== 'dead') this.set(site, { state: 'valid' });
  }

  /** The site was refreshed: forget what its refusals said; a dead key is checked again, once. */
  private refreshed(site: string): void {
    const before = this.verdicts.get(site);
    this.generations.set(site, (this.generations.get(site) ?? 0) + 1);
    if (before?.state === 'dead') void this.recheck(site);
    else this.verdicts.delete(site);
  }

  private async recheck(name: string): Promise<void> {
    const generation = this.generations.get(name);
    const current = (): boolean => this.generations.get(name) === generation && !this.isDisposed;
    const site = this.model.site(name);
    let verdict: KeyHealth = { state: 'unknown' };
    try {
      const api = site && (await this.model.api(site));
      if (api) {
        await api.verify();
        verdict = { state: 'valid' };
      }
    } catch (error) {
      if (isApiError(error, 'invalidKey')) verdict = { state: 'dead', error };
      // A held-back key, a network failure, a firewall page: the resources will say why.
    }
    if (current()) this.set(name, verdict, true);
  }

  private set(site: string, verdict: KeyHealth, always = false): void {
    const before = this.verdicts.get(site);
    if (verdict.state === 'unknown') this.verdicts.delete(site);
    else this.verdicts.set(site, verdict);
    if (always || before?.state !== verdict.state) this.changed.fire(site);
  }
}
