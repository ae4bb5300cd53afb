import * as vscode from 'vscode';
import type { ApiKind } from '../api/resources';
import { MAX_REQUESTS_PER_MINUTE } from '../api/rateLimiter';
import { COPERNICA_DEFAULT_URL, normaliseSiteUrl } from '../api/siteUrl';

export const CONFIG_SECTION = 'directoryRecords';

/** What the extension may write to a site; enforced for every write in one place (writeGate.ts). */
export type WriteProfile = 'normal' | 'confirm' | 'readOnly';
export const WRITE_PROFILES: readonly WriteProfile[] = ['normal', 'confirm', 'readOnly'];

export interface SiteConfig {
  readonly name: string;
  readonly kind: ApiKind;
  readonly url?: string;
  readonly requestsPerMinute?: number;
  /** Absent means normal, so sites added before profiles existed keep working as they did. */
  readonly writeProfile?: WriteProfile;
}

export function profileOf(site: SiteConfig): WriteProfile {
  return site.writeProfile ?? 'normal';
}

/** The origin a site's key is sent to; undefined when the address is unusable (the client says why). */
export function siteOrigin(kind: ApiKind, url: string | undefined): string | undefined {
  try {
    return new URL(normaliseSiteUrl(url ?? (kind === 'copernica' ? COPERNICA_DEFAULT_URL : ''))).origin;
  } catch {
    return undefined;
  }
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
    const broken = siteNameProblem(name);
    if (broken) {
      problems.push(broken);
      continue;
    }
    if (seen.has(name.toLowerCase())) {
      problems.push(vscode.l10n.t('Site name "{0}" is used twice; names must be unique.', name));
      continue;
    }
    seen.add(name.toLowerCase());
    const url = typeof item['url'] === 'string' && item['url'].trim() ? item['url'].trim() : undefined;
    const rpm = typeof item['requestsPerMinute'] === 'number' ? clamp(item['requestsPerMinute'], 1, MAX_REQUESTS_PER_MINUTE, 100) : undefined;
    const profile = item['writeProfile'];
    if (profile !== undefined && !WRITE_PROFILES.includes(profile as WriteProfile)) {
      problems.push(vscode.l10n.t('Site "{0}" has writeProfile "{1}"; use "normal", "confirm" or "readOnly". It is treated as Read-only until fixed.', name, String(profile)));
    }
    // An unknown profile errs on the safe side.
    const writeProfile = profile === undefined ? undefined : WRITE_PROFILES.includes(profile as WriteProfile) ? (profile as WriteProfile) : 'readOnly';
    sites.push({ name, kind, url, requestsPerMinute: rpm, writeProfile });
  }
  return {
    sites,
    problems,
    pageSize: clamp(config.get('pageSize'), 1, 100, 25),
    requestsPerMinute: clamp(config.get('requestsPerMinute'), 1, MAX_REQUESTS_PER_MINUTE, 100),
  };
}

/** Why a name cannot be a site's: it is a segment of every record's address (directory-records:/<site>/…). */
export function siteNameProblem(name: string): string | undefined {
  if (/[/\\]/.test(name) || name === '.' || name === '..') {
    return vscode.l10n.t('Site name "{0}" cannot be used: it would break the address of its records. Rename it without "/", "\\", "." or "..".', name);
  }
  return undefined;
}

/** The site as the user's own settings define it, ignoring anything a workspace says. */
export function userLevelSite(name: string): SiteConfig | undefined {
  const global = vscode.workspace.getConfiguration(CONFIG_SECTION).inspect<unknown[]>('sites')?.globalValue;
  const entry = (Array.isArray(global) ? global : []).find((e) => typeof e === 'object' && e !== null && (e as { name?: unknown }).name === name) as Partial<SiteConfig> | undefined;
  return entry && (entry.kind === 'brilliantDirectories' || entry.kind === 'copernica') ? { name, kind: entry.kind, url: typeof entry.url === 'string' ? entry.url : undefined } : undefined;
}

export async function writeSites(sites: readonly SiteConfig[]): Promise<void> {
  const stored = sites.map((site) => Object.fromEntries(Object.entries(site).filter(([, v]) => v !== undefined)));
  await vscode.workspace.getConfiguration(CONFIG_SECTION).update('sites', stored, vscode.ConfigurationTarget.Global);
}
