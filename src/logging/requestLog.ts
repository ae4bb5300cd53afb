import type * as vscode from 'vscode';
import type { RequestLogEntry } from '../api/requestLayer';

/** One line per request: method, path (credentials already masked by the API layer), status, duration. */
export function logRequest(channel: vscode.LogOutputChannel, site: string, entry: RequestLogEntry): void {
  const retry = entry.attempt > 1 ? ` (attempt ${entry.attempt})` : '';
  const note = entry.note ? ` ${entry.note}` : '';
  // Said in words: a refused key is what a reader of the log looks for first.
  const refused = entry.status === 401 ? ' (the key was refused)' : '';
  const line = `[${site}] ${entry.method} ${entry.path} → ${entry.status}${refused} in ${entry.durationMs} ms${retry}${note}`;
  if (entry.status === 'error' || (typeof entry.status === 'number' && entry.status >= 400)) channel.warn(line);
  else channel.info(line);
}
