import * as vscode from 'vscode';
import type { ApiKind } from '../api/resources';
import { MAX_REQUESTS_PER_MINUTE } from '../api/rateLimiter';

export const CONFIG_SECTION = 'directoryRecords';

export interface SiteConfig {
  readonly name: string;
  readonly kind: ApiKind;
  readonly url?: string;
  readonly requestsPerMinute?: number;
}

export interface SiteSettings {
  readonly sites: readonly SiteConfig[];
  /** Entries that could not be used, with the reason, so the tree can say so. */
  readonly problems: readonly string[];
  readonly pageSize: number;
  readonly requestsPerMinute: number;
}

const clamp = (value: unknown, min: number, max: number, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;

/** Reads the settings as a person may have typed them: skips broken entries instead of failing the whole tree. */
export function readSiteSettings(): SiteSettings {
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
  const raw = config.get<unknown[]>('sites', []);
  const sites: SiteConfig[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const entry of Array.isArray(raw) ? raw : []) {
    const item = (entry ?? {}) as Record<string, unknown>;
    const name = typeof item['name'] === 'string' ? item['name'].trim() : '';
    const kind = item['kind'];
    if (!name) {
      problems.push(vscode.l10n.t('A site in directoryRecords.sites has no name.'));
      continue;
    }
    if (kind !== 'brilliantDirectories' && kind !== 'copernica') {
      problems.push(vscode.l10n.t('Site "{0}" has kind "{1}"; use "brilliantDirectories" or "copernica".', name, String(kind)));
      continue;
    }
    if (seen.has(name.toLowerCase())) {
      problems.push(vscode.l10n.t('Site name "{0}" is used twice; names must be unique.', name));
      continue;
    }
    seen.add(name.toLowerCase());
    const url = typeof item['url'] === 'string' && item['url'].trim() ? item['url'].trim() : undefined;
    const rpm = typeof item['requestsPerMinute'] === 'number' ? clamp(item['requestsPerMinute'], 1, MAX_REQUESTS_PER_MINUTE, 100) : undefined;
    sites.push({ name, kind, url, requestsPerMinute: rpm });
  }
  return {
    sites,
    problems,
    pageSize: clamp(config.get('pageSize'), 1, 100, 25),
    requestsPerMinute: clamp(config.get('requestsPerMinute'), 1, MAX_REQUESTS_PER_MINUTE, 100),
  };
}

export async function writeSites(sites: readonly SiteConfig[]): Promise<void> {
  const stored = sites.map((site) => Object.fromEntries(Object.entries(site).filter(([, v]) => v !== undefined)));
  await vscode.workspace.getConfiguration(CONFIG_SECTION).update('sites', stored, vscode.ConfigurationTarget.Global);
}
