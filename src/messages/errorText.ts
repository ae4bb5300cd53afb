import * as vscode from 'vscode';
import { isApiError } from '../api/errors';
import { renderText } from '../api/text';

/** What to tell the user about a failure, translated: API errors carry their template and arguments. */
export function errorText(error: unknown): string {
  if (isApiError(error) && error.text) return renderText(error.text, (template, args) => vscode.l10n.t(template, ...args));
  return error instanceof Error ? error.message : String(error);
}
