import * as vscode from 'vscode';
import type { RequestLogEntry } from '../api/requestLayer';
import { logRequest } from '../logging/requestLog';
import type { SiteApi, SiteApiOptions } from './siteApi';
import { CONFIG_SECTION, readSiteSettings, type SiteConfig, type SiteSettings } from './siteConfig';
import type { SiteSecrets } from './siteSecrets';

interface Connection {
  readonly fingerprint: string;
  /** A promise, stored before it settles, so concurrent callers share one client (and one rate limiter). */
  readonly api: Promise<SiteApi>;
}

/** Owns one API client per configured site, rebuilt when its settings or key change. */
export class SiteConnections implements vscode.Disposable {
  private current: SiteSettings = readSiteSettings();
  private readonly connections = new Map<string, Connection>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    readonly secrets: SiteSecrets,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration(CONFIG_SECTION)) return;
        this.current = readSiteSettings();
        this.changed.fire();
      }),
      secrets.onDidChange(() => this.changed.fire()),
    ];
  }

  get settings(): SiteSettings {
    return this.current;
  }

  find(name: string): SiteConfig | undefined {
    return this.current.sites.find((site) => site.name === name);
  }

  /** The site's client, or undefined when no key is stored for it yet. */
  async api(site: SiteConfig): Promise<SiteApi | undefined> {
    const secret = await this.secrets.get(site.name);
    if (!secret) return undefined;
    const rpm = site.requestsPerMinute ?? this.current.requestsPerMinute;
    const fingerprint = JSON.stringify([site.kind, site.url, rpm, secret]);
    const existing = this.connections.get(site.name);
    if (existing?.fingerprint === fingerprint) return existing.api;
    if (existing) dispose(existing);
    const api = createSiteApi({
      kind: site.kind,
      url: site.url,
      secret,
      rateLimit: { requests: rpm, windowMs: 60_000 },
      log: (entry: RequestLogEntry) => logRequest(this.log, site.name, entry),
    });
    const connection = { fingerprint, api };
    this.connections.set(site.name, connection);
    // A failed creation (say, an http:// address) is not cached: the next call says why again.
    api.catch(() => this.connections.get(site.name) === connection && this.connections.delete(site.name));
    return api;
  }

  /** A client for credentials not yet saved, for checking them before they are. */
  probe(site: SiteConfig, secret: string): Promise<SiteApi> {
    return createSiteApi({ kind: site.kind, url: site.url, secret, rateLimit: null, log: (entry) => logRequest(this.log, site.name, entry) });
  }

  forget(name: string): void {
    const connection = this.connections.get(name);
    if (connection) dispose(connection);
    this.connections.delete(name);
  }

  dispose(): void {
    for (const connection of this.connections.values()) dispose(connection);
    this.connections.clear();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
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
  connection.api.then((api) => api.dispose()).catch(() => undefined);
}
