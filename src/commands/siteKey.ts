import * as vscode from 'vscode';
import { isApiError } from '../api/errors';
import { errorText } from '../messages/errorText';
import type { SiteConfig } from '../sites/siteConfig';
import type { SiteRegistry } from '../sites/siteRegistry';

/** What a failed key check asks again: the key, the address, or nothing (the same answers are checked again). */
export type Wrong = 'key' | 'address' | 'again';

/** The key prompt (Add Site, Set API Key); `value` pre-fills (selected, so typing or pasting replaces it) what was typed before. */
export function askKey(site: SiteConfig, step: string, value?: string): Thenable<string | undefined> {
  const bd = site.kind === 'brilliantDirectories';
  return vscode.window.showInputBox({
    title: step,
    value,
    prompt: bd ? vscode.l10n.t('The API key for "{0}" (Admin → Developer Hub). It is kept in VS Code\'s secret storage.', site.name) : vscode.l10n.t('The Copernica access token for "{0}". It is kept in VS Code\'s secret storage.', site.name),
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('Enter the key, or press Escape to cancel.')),
  });
}

/** One key check, with progress; the error when it failed. */
export function checkKey(registry: SiteRegistry, site: SiteConfig, key: string): Thenable<Error | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the key for "{0}"…', site.name) },
    () => registry.verify(site, key),
  );
}

/** The failure, and what Retry will do about it. */
export function failureText(site: SiteConfig, error: Error, wrong: Wrong): string {
  const hint = wrong === 'key' ? vscode.l10n.t('Retry asks for the key again.') : wrong === 'address' ? vscode.l10n.t('Retry asks for the address again.') : vscode.l10n.t('Retry checks the same key again.');
  return `${vscode.l10n.t('Could not verify "{0}": {1}', site.name, errorText(error))} ${hint}`;
}

/**
 * What a failed key check says about the answers: a refused key (401/403, Copernica's invalid
 * token) is the key; no answer, a 404 or a page that is not the API is a Brilliant Directories
 * address that is not the site; anything else (5xx, a timeout, the rate limit) is worth the
 * same check again.
 */
export function whatWasWrong(site: SiteConfig, error: unknown): Wrong {
  if (isApiError(error, 'invalidKey') || isApiError(error, 'forbidden')) return 'key';
  if (site.kind === 'brilliantDirectories' && (isApiError(error, 'network') || isApiError(error, 'notFound') || isApiError(error, 'unexpectedReply'))) return 'address';
  return 'again';
}
