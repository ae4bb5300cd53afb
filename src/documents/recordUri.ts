import * as vscode from 'vscode';
import { resourceFor, type ModelName } from '../api/resources';

export const RECORD_SCHEME = 'directory-records';
/** Read-only copies of the server's version, for the left side of a diff. */
export const SERVER_SCHEME = 'directory-records-server';

export interface RecordAddress {
  readonly site: string;
  readonly model: ModelName;
  /** The record's id, or undefined for a record not created yet (new-<n>.json). */
  readonly id: string | undefined;
  readonly draft: number | undefined;
}

/** directory-records:/<site>/<model>/<id>.json — the site name is a path segment, so URI-encoded in the string form. */
export function recordUri(site: string, model: ModelName, id: string, scheme = RECORD_SCHEME): vscode.Uri {
  return vscode.Uri.from({ scheme, path: `/${site}/${model}/${id}.json` });
}

export function draftUri(site: string, model: ModelName, n: number): vscode.Uri {
  return vscode.Uri.from({ scheme: RECORD_SCHEME, path: `/${site}/${model}/new-${n}.json` });
}

export function parseRecordUri(uri: vscode.Uri): RecordAddress | undefined {
  if (uri.scheme !== RECORD_SCHEME && uri.scheme !== SERVER_SCHEME) return undefined;
  const parts = uri.path.split('/');
  if (parts.length !== 4 || parts[0] !== '') return undefined;
  const [, site, model, file] = parts as [string, string, string, string];
  if (!site || !resourceFor(model)) return undefined;
  const saved = /^([1-9]\d*)\.json$/.exec(file);
  if (saved) return { site, model: model as ModelName, id: saved[1], draft: undefined };
  const draft = /^new-(\d+)\.json$/.exec(file);
  if (draft) return { site, model: model as ModelName, id: undefined, draft: Number(draft[1]) };
  return undefined;
}
