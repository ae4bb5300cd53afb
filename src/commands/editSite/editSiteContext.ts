import * as vscode from 'vscode';
import type { SiteConfig, WriteProfile } from '../../sites/siteConfig';

/** What Edit Site changes (the fields given; the in-host tests give them as arguments instead of prompts). */
export interface EditSiteChanges {
  name?: string;
  url?: string;
  writeProfile?: WriteProfile;
  /** null removes the site's own limit (the global setting applies). */
  requestsPerMinute?: number | null;
}

export type EditSiteField = keyof EditSiteChanges;

/** One Edit Site: the site as it is, the field picked, and its new value. */
export interface EditSiteContext {
  readonly site: SiteConfig;
  field?: EditSiteField;
  readonly changes: EditSiteChanges;
}

/** How a write profile reads in Edit Site's lists. */
export function profileLabel(profile: WriteProfile): string {
  const labels = { normal: vscode.l10n.t('Normal'), confirm: vscode.l10n.t('Confirm every write'), readOnly: vscode.l10n.t('Read-only') };
  return labels[profile];
}
