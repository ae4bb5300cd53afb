import * as vscode from 'vscode';
import { normaliseSiteUrl } from '../../api/siteUrl';
import { profileOf, siteOrigin, type SiteConfig } from '../../sites/siteConfig';
import type { SiteRegistry } from '../../sites/siteRegistry';
import { closeSiteDocuments } from '../siteDocuments';
import type { EditSiteChanges } from './editSiteContext';

/**
 * Applies the changes through the registry. A rename first closes the site's open records
 * (they carry the old name in their address), asking when one has unsaved edits; a new address
 * asks, when the person typed it, whether the stored key may follow. Returns the site's name
 * afterwards, or undefined when the person kept an edited record open.
 */
export async function editSiteExecute(registry: SiteRegistry, site: SiteConfig, changes: EditSiteChanges, typed: boolean): Promise<string | undefined> {
  let updated: SiteConfig = { ...site };
  if (changes.url !== undefined) updated = { ...updated, url: site.kind === 'copernica' && changes.url === '' ? undefined : normaliseSiteUrl(changes.url) };
  if (changes.writeProfile !== undefined) updated = { ...updated, writeProfile: changes.writeProfile === 'normal' ? undefined : changes.writeProfile };
  if (changes.requestsPerMinute !== undefined) updated = { ...updated, requestsPerMinute: changes.requestsPerMinute ?? undefined };
  const newName = changes.name?.trim();
  let closed = 0;
  if (newName !== undefined && newName !== site.name) {
    const problem = registry.nameProblem(newName);
    if (problem) throw new Error(problem);
    const closing = await closeSiteDocuments(site.name);
    if (closing === undefined) return undefined;
    closed = closing;
    updated = { ...updated, name: newName };
  }
  const moved = siteOrigin(updated.kind, updated.url) !== siteOrigin(site.kind, site.url);
  // Typing the new address here is the user's own word that the key belongs there; ask anyway, once.
  const keyFollows = moved && typed && (await registry.hasKey(site.name)) && (await confirmKeyMove(updated));
  await registry.update(site, updated, { keyFollows });
  if (closed > 0) void vscode.window.showInformationMessage(vscode.l10n.t('Closed {0} open record(s) of "{1}": reopen them under its new name "{2}".', closed, site.name, updated.name));
  if (profileOf(updated) !== profileOf(site)) void vscode.window.showInformationMessage(profileChanged(updated));
  return updated.name;
}

async function confirmKeyMove(site: SiteConfig): Promise<boolean> {
  const send = vscode.l10n.t('Send the Stored Key There');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Send the key of "{0}" to {1} from now on?', site.name, site.url ?? ''),
    { modal: true, detail: vscode.l10n.t('Otherwise the key is held back until you confirm the new address or enter the key again with "Set API Key…".') },
    send,
  );
  return answer === send;
}

/** What a person reads after switching a site's write profile: what it means now, and how to change it back. */
function profileChanged(site: SiteConfig): string {
  switch (profileOf(site)) {
    case 'readOnly':
      return vscode.l10n.t('"{0}" is now Read-only: records open for reading, and nothing is written to it (saves, deletes and bulk actions are refused). Edit Site… changes it back.', site.name);
    case 'confirm':
      return vscode.l10n.t('"{0}" now confirms every write: each save or delete first shows what will be sent and waits for your OK.', site.name);
    default:
      return vscode.l10n.t('"{0}" is now Normal: saves and commands write to it.', site.name);
  }
}
