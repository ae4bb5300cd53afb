import * as vscode from 'vscode';
import { ApiError } from '../api/errors';
import type { RequestLogEntry } from '../api/requestLayer';
import { msg } from '../api/text';
import { Disposable, toDisposable } from '../lifecycle/disposable';
import { logRequest } from '../logging/requestLog';
import { RequestBudget, type BudgetUse } from './requestBudget';
import type { SiteApi, SiteApiOptions, SiteReads, SiteWrites } from './siteApi';
import { CONFIG_SECTION, readSiteSettings, siteOrigin, userLevelSite, type SiteConfig, type SiteSettings } from './siteConfig';
import type { KeyBinding, SiteSecrets } from './siteSecrets';
import { guardWrites, type ConfirmWrite } from './writeGate';

/** The stored key was entered for another address or kind: it is not sent until the user says so. */
export class KeyBindingError extends Error {
  override readonly name = 'KeyBindingError';
  constructor(
    readonly site: SiteConfig,
    readonly storedFor: KeyBinding | undefined,
    readonly origin: string,
  ) {
    super(
      storedFor
        ? vscode.l10n.t('The key of "{0}" was stored for {1} ({2}); the site now points at {3} ({4}). It was not sent. Use "Set API Key…" to confirm the new address or enter the key again.', site.name, storedFor.origin, kindName(storedFor.kind), origin, kindName(site.kind))
        : vscode.l10n.t('The key of "{0}" was stored before keys were tied to an address, and your settings no longer say where it belongs. It was not sent. Use "Set API Key…" to confirm {1} or enter the key again.', site.name, origin),
    );
  }
}

function kindName(kind: SiteConfig['kind']): string {
  return kind === 'copernica' ? 'Copernica' : 'Brilliant Directories';
}

interface Connection {
  readonly fingerprint: string;
  /** A promise, stored before it settles, so concurrent callers share one client (and one rate limiter). */
  readonly api: Promise<GatedApi>;
}

/** A site's client as connections keep it: its reads, and its writes behind the site's write gate. */
interface GatedApi {
  readonly reads: SiteReads;
  readonly writes: SiteWrites;
}

/** Owns one API client per configured site, rebuilt when its settings or key change. */
export class SiteConnections extends Disposable {
  private current: SiteSettings = readSiteSettings();
  private readonly connections = new Map<string, Connection>();
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private readonly refused = this._register(new vscode.EventEmitter<KeyBindingError>());
  /** Once per site and address per window: a key was held back because its binding differs. */
  readonly onDidRefuseKey = this.refused.event;
  private readonly refusalsShown = new Set<string>();
  private readonly requested = this._register(new vscode.EventEmitter<string>());
  /** A request went to the named site (for the rate budget shown in the status bar). */
  readonly onDidRequest = this.requested.event;
  private readonly budget = new RequestBudget();

  constructor(
    readonly secrets: SiteSecrets,
    private readonly log: vscode.LogOutputChannel,
    private readonly confirmWrite: ConfirmWrite,
  ) {
    super();
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration(CONFIG_SECTION)) return;
        this.current = readSiteSettings();
        this.changed.fire();
      }),
    );
    this._register(secrets.onDidChange(() => this.changed.fire()));
    this._register(
      toDisposable(() => {
        for (const connection of this.connections.values()) dispose(connection);
        this.connections.clear();
      }),
    );
  }

  get settings(): SiteSettings {
    return this.current;
  }

  find(name: string): SiteConfig | undefined {
    return this.current.sites.find((site) => site.name === name);
  }

  /**
   * The site's client, or undefined when no key is stored for it yet. Throws KeyBindingError,
   * before anything is sent, when the key was stored for another origin or kind.
   */
  async api(site: SiteConfig): Promise<SiteReads | undefined> {
    return (await this.connect(site))?.reads;
  }

  /**
   * The named site's writes, behind its write gate. Only the record service calls this (a lint
   * rule and test/unit/architecture keep it so): every create, update and delete goes through it.
   */
  async writes(siteName: string): Promise<SiteWrites> {
    return (await this.required(siteName)).writes;
  }

  private async connect(site: SiteConfig): Promise<GatedApi | undefined> {
    const stored = await this.secrets.get(site.name);
    if (!stored) return undefined;
    await this.checkBinding(site, stored.key, stored.binding);
    const rpm = this.requestsPerMinute(site);
    const fingerprint = JSON.stringify([site.kind, site.url, rpm, stored.key]);
    const existing = this.connections.get(site.name);
    if (existing?.fingerprint === fingerprint) return existing.api;
    if (existing) dispose(existing);
    const name = site.name;
    const api = createSiteApi({
      kind: site.kind,
      url: site.url,
      secret: stored.key,
      rateLimit: { requests: rpm, windowMs: 60_000 },
      log: (entry: RequestLogEntry) => {
        logRequest(this.log, name, entry);
        this.budget.record(name);
        this.requested.fire(name);
      },
    }).then((client): GatedApi => ({ reads: readsOf(client), writes: guardWrites(client, () => this.find(name), this.confirmWrite) }));
    const connection = { fingerprint, api };
    this.connections.set(site.name, connection);
    // A failed creation (say, an http:// address) is not cached: the next call says why again.
    api.catch(() => this.connections.get(site.name) === connection && this.connections.delete(site.name));
    return api;
  }

  /** A client for credentials not yet saved, for checking them before they are. */
  async probe(site: SiteConfig, secret: string): Promise<SiteReads> {
    return readsOf(await createSiteApi({ kind: site.kind, url: site.url, secret, rateLimit: null, log: (entry) => logRequest(this.log, site.name, entry) }));
  }

  /** The named site's client, or a typed error saying why there is none (no such site, no key). */
  async require(siteName: string): Promise<SiteReads> {
    return (await this.required(siteName)).reads;
  }

  private async required(siteName: string): Promise<GatedApi> {
    const site = this.find(siteName);
    if (!site) throw new ApiError('invalidInput', msg`Site "${siteName}" is not configured any more.`);
    const api = await this.connect(site);
    if (!api) throw new ApiError('invalidKey', msg`No API key is set for "${siteName}". Use "Set API Key…" on the site.`);
    return api;
  }

  requestsPerMinute(site: SiteConfig): number {
    return site.requestsPerMinute ?? this.current.requestsPerMinute;
  }

  /** Requests sent to the site in the last minute, against its limit. */
  budgetOf(site: SiteConfig): BudgetUse {
    return this.budget.use(site.name, this.requestsPerMinute(site));
  }

  /** Stores a key bound to the site's address and kind as they are now. */
  async storeKey(site: SiteConfig, key: string): Promise<void> {
    const origin = siteOrigin(site.kind, site.url);
    if (!origin) throw new Error(vscode.l10n.t('"{0}" has no usable address, so its key cannot be tied to one.', site.name));
    await this.secrets.store(site.name, key, { kind: site.kind, origin });
  }

  /** The binding that holds a stored key back, if any (Set API Key offers to confirm it). */
  async refusedBinding(site: SiteConfig): Promise<KeyBindingError | undefined> {
    const stored = await this.secrets.get(site.name);
    if (!stored) return undefined;
    try {
      await this.checkBinding(site, stored.key, stored.binding, false);
      return undefined;
    } catch (error) {
      if (error instanceof KeyBindingError) return error;
      throw error;
    }
  }

  /** The user confirmed: the stored key may go to the site's current address. */
  async confirmAddress(site: SiteConfig): Promise<void> {
    const stored = await this.secrets.get(site.name);
    if (stored) await this.storeKey(site, stored.key);
  }

  /** A renamed site keeps its key, binding and request count. */
  async rename(from: string, to: string): Promise<void> {
    this.forget(from);
    await this.secrets.move(from, to);
    this.budget.rename(from, to);
  }

  forget(name: string): void {
    const connection = this.connections.get(name);
    if (connection) dispose(connection);
    this.connections.delete(name);
  }

  /**
   * A key goes only to the kind and origin it was stored for. A key stored before bindings
   * existed is bound, on first use, to the site as the user's own settings define it.
   */
  private async checkBinding(site: SiteConfig, key: string, binding: KeyBinding | undefined, announce = true): Promise<void> {
    const origin = siteOrigin(site.kind, site.url);
    // No usable address: creating the client says why, and nothing is sent.
    if (!origin) return;
    if (!binding) {
      const own = userLevelSite(site.name);
      const ownOrigin = own && siteOrigin(own.kind, own.url);
      if (own && ownOrigin) {
        binding = { kind: own.kind, origin: ownOrigin };
        await this.secrets.store(site.name, key, binding);
      }
    }
    if (binding && binding.kind === site.kind && binding.origin === origin) return;
    const error = new KeyBindingError(site, binding, origin);
    const once = JSON.stringify([site.name, site.kind, origin]);
    if (announce && !this.refusalsShown.has(once)) {
      this.refusalsShown.add(once);
      this.refused.fire(error);
    }
    throw error;
  }
}

/**
 * The clients, zod and undici are most of the code; they are bundled apart (dist/siteApi.js)
 * and loaded on the first request, so activation reads only the small extension bundle.
 */
async function createSiteApi(options: SiteApiOptions): Promise<SiteApi> {
  const module = await import('./siteApi');
  return module.createSiteApi(options);
}

function dispose(connection: Connection): void {
  connection.api.then((api) => api.reads.dispose()).catch(() => undefined);
}

/** The client without its write methods, at run time too: what callers other than the record service get. */
function readsOf(api: SiteApi): SiteReads {
  return {
    kind: api.kind,
    resources: api.resources,
    verify: (signal) => api.verify(signal),
    listPage: (resource, request) => api.listPage(resource, request),
    get: (resource, id, signal, onProgress) => api.get(resource, id, signal, onProgress),
    needsSearch: (resource, id) => api.needsSearch(resource, id),
    dispose: () => api.dispose(),
  };
}
