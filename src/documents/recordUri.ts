import * as vscode from 'vscode';
import { resourceFor, type ModelName, type ResourceDescriptor } from '../api/resources';

export const RECORD_SCHEME = 'directory-records';
/** Read-only copies of the server's version, for the left side of a diff. */
export const SERVER_SCHEME = 'directory-records-server';

interface AddressOf {
  readonly site: string;
  readonly model: ModelName;
  readonly resource: ResourceDescriptor;
}

/** A record that exists on the server: <site>/<model>/<id>.json */
export interface SavedRecordAddress extends AddressOf {
  readonly kind: 'saved';
  readonly id: string;
}

/** A record not created yet: <site>/<model>/new-<n>.json */
export interface DraftAddress extends AddressOf {
  readonly kind: 'draft';
  readonly draft: number;
}

export type RecordAddress = SavedRecordAddress | DraftAddress;

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
  const resource = resourceFor(model);
  if (!site || !resource) return undefined;
  const saved = /^([1-9]\d*)\.json$/.exec(file);
  if (saved) return { kind: 'saved', site, model: resource.model, resource, id: saved[1]! };
  const draft = /^new-(\d+)\.json$/.exec(file);
  if (draft) return { kind: 'draft', site, model: resource.model, resource, draft: Number(draft[1]) };
  return undefined;
}

/** The record document a server-version URI (the left side of a Compare) stands for. */
export function recordDocumentUri(uri: vscode.Uri): vscode.Uri | undefined {
  const address = parseRecordUri(uri);
  return address?.kind === 'saved' ? recordUri(address.site, address.model, address.id) : undefined;
}
