import * as vscode from 'vscode';
import { recordText } from '../api/recordText';
import { resourceFor, type ModelName, type ResourceDescriptor } from '../api/resources';
import type { SaveHistoryEntry } from '../records/saveHistory';

/** Read-only versions of a record from its save history, for the sides of a diff. */
export const HISTORY_SCHEME = 'directory-records-history';

/** Which version of a save: the server's record before it, or after it. */
export type HistorySide = 'before' | 'after';

export interface HistoryVersionAddress {
  readonly site: string;
  readonly model: ModelName;
  readonly resource: ResourceDescriptor;
  readonly id: string;
  /** The save's time (SaveHistoryEntry.at): which entry. */
  readonly at: string;
  readonly side: HistorySide;
}

/** directory-records-history:/<site>/<model>/<id>.json?at=…&side=… — the path as a record's, so it reads as one (language, title). */
export function historyUri(entry: Pick<SaveHistoryEntry, 'site' | 'model' | 'id' | 'at'>, side: HistorySide): vscode.Uri {
  return vscode.Uri.from({ scheme: HISTORY_SCHEME, path: `/${entry.site}/${entry.model}/${entry.id}.json`, query: new URLSearchParams({ at: entry.at, side }).toString() });
}

export function parseHistoryUri(uri: vscode.Uri): HistoryVersionAddress | undefined {
  if (uri.scheme !== HISTORY_SCHEME) return undefined;
  const parts = uri.path.split('/');
  if (parts.length !== 4 || parts[0] !== '') return undefined;
  const [, site, model, file] = parts as [string, string, string, string];
  const resource = resourceFor(model);
  const id = /^([1-9]\d*)\.json$/.exec(file)?.[1];
  const query = new URLSearchParams(uri.query);
  const at = query.get('at');
  const side = query.get('side');
  if (!site || !resource || !id || !at || (side !== 'before' && side !== 'after')) return undefined;
  return { site, model: resource.model, resource, id, at, side };
}

/** The record as one save left it (or found it), from the history kept on this computer. */
export class SaveHistoryVersions implements vscode.TextDocumentContentProvider {
  constructor(private readonly savesOf: (site: string, model: ModelName, id: string) => Promise<SaveHistoryEntry[]>) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const version = await versionOf(uri, this.savesOf);
    // A record the save created had no version before it: an empty side.
    return version ? recordText(version) : '';
  }
}

/** The record a history URI stands for, or undefined (an entry no longer kept, a created record's "before"). */
export async function versionOf(uri: vscode.Uri, savesOf: (site: string, model: ModelName, id: string) => Promise<SaveHistoryEntry[]>): Promise<SaveHistoryEntry['after'] | undefined> {
  const address = parseHistoryUri(uri);
  if (!address) return undefined;
  const entry = (await savesOf(address.site, address.model, address.id)).find((e) => e.at === address.at);
  return (address.side === 'before' ? entry?.before : entry?.after) ?? undefined;
}
