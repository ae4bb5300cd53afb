import * as vscode from 'vscode';
import { resourceFor, type ResourceDescriptor } from '../api/resources';

/** The custom editor's view type (package.json contributes it). */
export const TABLE_VIEW_TYPE = 'directoryRecords.table';

/** A table's document is a resource of a site, not a file: its own scheme, which no file system serves. */
export const TABLE_SCHEME = 'directory-records-table';

/** The table of a site's resource: the tab reads "Contacts.table"; the model is in the query (the path is for people). */
export function tableUri(site: string, resource: ResourceDescriptor): vscode.Uri {
  return vscode.Uri.from({ scheme: TABLE_SCHEME, path: `/${site}/${resource.plural}.table`, query: `model=${resource.model}` });
}

export function parseTableUri(uri: vscode.Uri): { site: string; resource: ResourceDescriptor } | undefined {
  if (uri.scheme !== TABLE_SCHEME) return undefined;
  const model = /^model=(\w+)$/.exec(uri.query)?.[1];
  const resource = model ? resourceFor(model) : undefined;
  const site = /^\/(.+)\/[^/]+\.table$/.exec(uri.path)?.[1];
  return resource && site ? { site, resource } : undefined;
}
