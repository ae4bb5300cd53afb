import * as vscode from 'vscode';
import { changedFields } from '../api/recordMerge';
import { recordText } from '../api/recordText';
import { readOnlyFieldNames, resourceFor, type ResourceDescriptor } from '../api/resources';
import type { ApiRecord } from '../api/schemas';
import { COMMANDS } from '../commandIds';
import type { SaveDoor, SaveHistoryEntry } from '../records/saveHistory';
import { historyUri, parseHistoryUri, versionOf } from '../documents/saveHistoryDocuments';
import { parseRecordUri, recordUri } from '../documents/recordUri';
import { showRecord } from '../documents/showRecord';
import { givenObject, type CommandArgs } from './commandArgs';
import type { ArgsHandler, CommandContext } from './commandContext';

type HistoryCommand = 'showSaveHistory' | 'restoreHistoryVersion' | 'clearSaveHistory';

/** The record a history command is about. */
interface HistoryTarget {
  readonly site: string;
  readonly resource: ResourceDescriptor;
  readonly id: string;
}

/** What the second pick does with the version picked first. */
type VersionAction = { readonly kind: 'changes' | 'current' | 'restore' } | { readonly kind: 'other'; readonly other: SaveHistoryEntry };

export function saveHistoryCommands(ctx: CommandContext): Record<(typeof COMMANDS)[HistoryCommand], ArgsHandler> {
  const savesOf = (target: HistoryTarget): Promise<SaveHistoryEntry[]> => ctx.records.savesOf(target.site, target.resource.model, target.id);

  return {
    /**
     * Lists the record's saves (when, which door, the fields sent); the version picked is then
     * compared (its own change, the record now, or another version) or restored into the editor.
     * Returns what it opened, for tests.
     */
    [COMMANDS.showSaveHistory]: async (args: CommandArgs) => {
      const target = historyTarget(args);
      if (!target) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Show Save History works on a saved record: run it from a record\'s editor or its row in the tree.'));
        return undefined;
      }
      const entries = await savesOf(target);
      if (entries.length === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No saves of {0} {1} on "{2}" are kept on this computer.', target.resource.singular, target.id, target.site));
        return undefined;
      }
      const picked = await vscode.window.showQuickPick(
        entries.map((entry) => ({ label: whenSaved(entry), description: doorName(entry.door), detail: fieldsText(entry), entry })),
        { title: vscode.l10n.t('Save History of {0} {1}', target.resource.singular, target.id), placeHolder: vscode.l10n.t('Pick a version to compare or restore'), matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true },
      );
      if (!picked) return undefined;
      const action = await pickAction(picked.entry, entries);
      if (!action) return undefined;
      return runAction(target, picked.entry, action);
    },

    /** The version shown in a history diff's right side (its editor title), else a test's `{ at }` of the active record. */
    [COMMANDS.restoreHistoryVersion]: async (args: CommandArgs) => {
      const uri = args.uri ?? vscode.window.activeTextEditor?.document.uri;
      const address = uri && parseHistoryUri(uri);
      if (!uri || !address) return false;
      const version = await versionOf(uri, (site, model, id) => ctx.records.savesOf(site, model, id));
      if (!version) throw new Error(vscode.l10n.t('This version is no longer kept on this computer (or the record did not exist before this save).'));
      return restoreVersion(address, version);
    },

    [COMMANDS.clearSaveHistory]: async (args: CommandArgs) => {
      const confirmed = givenObject(args, 0)?.['confirmed'] === true;
      if (!confirmed) {
        const clear = vscode.l10n.t('Clear Save History');
        const answer = await vscode.window.showWarningMessage(
          vscode.l10n.t('Clear the save history of every record on this computer?'),
          { modal: true, detail: vscode.l10n.t('Nothing on the sites changes; only the earlier versions kept here for comparing and restoring go.') },
          clear,
        );
        if (answer !== clear) return false;
      }
      await ctx.records.clearSaveHistory();
      void vscode.window.showInformationMessage(vscode.l10n.t('The save history was cleared.'));
      return true;
    },
  };
}

/** A record row, a plain `{ site, resource, id }`, a record document (or its server or history version), else the active editor's record. */
function historyTarget({ node, record, uri: given }: CommandArgs): HistoryTarget | undefined {
  if (node?.type === 'record') {
    const resource = resourceFor(node.model);
    return resource && { site: node.site, resource, id: node.id };
  }
  if (node) return undefined;
  if (record) {
    const resource = resourceFor(record.model);
    return resource && { site: record.site, resource, id: record.id };
  }
  const uri = given ?? vscode.window.activeTextEditor?.document.uri;
  if (!uri) return undefined;
  const address = parseRecordUri(uri) ?? parseHistoryUri(uri);
  if (!address || ('kind' in address && address.kind !== 'saved')) return undefined;
  return 'id' in address ? { site: address.site, resource: address.resource, id: address.id } : undefined;
}

async function pickAction(entry: SaveHistoryEntry, entries: readonly SaveHistoryEntry[]): Promise<VersionAction | undefined> {
  type Item = vscode.QuickPickItem & { readonly action?: VersionAction };
  const others = entries.filter((e) => e !== entry);
  const items: Item[] = [
    { label: vscode.l10n.t('Show the Changes of This Save'), description: entry.before ? vscode.l10n.t('before → after') : vscode.l10n.t('created by this save'), action: { kind: 'changes' } },
    { label: vscode.l10n.t('Compare with Current'), description: vscode.l10n.t('this version → the record now'), action: { kind: 'current' } },
    ...(others.length > 0 ? [{ label: vscode.l10n.t('Compare with Another Version'), kind: vscode.QuickPickItemKind.Separator }] : []),
    ...others.map((other): Item => ({ label: vscode.l10n.t('Compare with the Version of {0}', whenSaved(other)), description: doorName(other.door), detail: fieldsText(other), action: { kind: 'other', other } })),
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: vscode.l10n.t('Restore This Version'), description: vscode.l10n.t('into the editor, unsaved: sent only when you save'), action: { kind: 'restore' } },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Version of {0}', whenSaved(entry)), ignoreFocusOut: true });
  return picked?.action;
}

async function runAction(target: HistoryTarget, entry: SaveHistoryEntry, action: VersionAction): Promise<unknown> {
  const name = `${target.resource.singular} ${target.id}`;
  switch (action.kind) {
    case 'changes':
      return diff(historyUri(entry, 'before'), historyUri(entry, 'after'), vscode.l10n.t('{0}: before ↔ after the save of {1}', name, whenSaved(entry)));
    case 'current':
      return diff(historyUri(entry, 'after'), recordUri(target.site, target.resource.model, target.id), vscode.l10n.t('{0}: version of {1} ↔ now', name, whenSaved(entry)));
    case 'other': {
      // The older version on the left, as a diff reads.
      const [older, newer] = action.other.at < entry.at ? [action.other, entry] : [entry, action.other];
      return diff(historyUri(older, 'after'), historyUri(newer, 'after'), vscode.l10n.t('{0}: version of {1} ↔ version of {2}', name, whenSaved(older), whenSaved(newer)));
    }
    case 'restore':
      return restoreVersion({ site: target.site, resource: target.resource, id: target.id }, entry.after);
  }
}

async function diff(left: vscode.Uri, right: vscode.Uri, title: string): Promise<{ left: string; right: string }> {
  await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: true });
  return { left: left.toString(), right: right.toString() };
}

/**
 * Puts a version's fields into the record's editor as an unsaved change: the editable ones
 * (read-only fields stay as the editor has them). Nothing is sent: the user's save sends it,
 * through the same merge as any edit.
 */
async function restoreVersion(target: HistoryTarget, version: ApiRecord): Promise<boolean> {
  const uri = recordUri(target.site, target.resource.model, target.id);
  const doc = await showRecord(uri, false);
  let current: Record<string, unknown>;
  try {
    current = JSON.parse(doc.getText()) as Record<string, unknown>;
  } catch {
    throw new Error(vscode.l10n.t('The editor of {0} {1} does not hold valid JSON: fix or revert it, then restore the version again.', target.resource.singular, target.id));
  }
  const readOnly = readOnlyFieldNames(target.resource);
  const restored = { ...current, ...Object.fromEntries(Object.entries(version).filter(([name]) => !readOnly.has(name))) };
  const text = recordText(restored);
  if (text === doc.getText()) {
    void vscode.window.showInformationMessage(vscode.l10n.t('The editor of {0} {1} already holds this version.', target.resource.singular, target.id));
    return false;
  }
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(vscode.l10n.t('The version could not be put into the editor of {0} {1}.', target.resource.singular, target.id));
  void vscode.window.showInformationMessage(vscode.l10n.t('The version is in the editor of {0} {1}, unsaved: nothing is sent until you save, through the usual merge.', target.resource.singular, target.id));
  return true;
}

function whenSaved(entry: SaveHistoryEntry): string {
  return new Date(entry.at).toLocaleString(vscode.env.language);
}

function doorName(door: SaveDoor): string {
  switch (door) {
    case 'document':
      return vscode.l10n.t('saved in its editor');
    case 'table':
      return vscode.l10n.t('saved from a table');
    case 'create':
      return vscode.l10n.t('created');
    case 'setFields':
      return vscode.l10n.t('fields set (Mark as Viewed or Unread)');
    case 'bulk':
      return vscode.l10n.t('bulk change');
    case 'restore':
      return vscode.l10n.t('restored after a delete');
  }
}

/** The fields sent, as "name: old → new", then the others the save changed on the server (its dates), by name. */
function fieldsText(entry: SaveHistoryEntry): string {
  const value = (v: string | null | undefined): string => (v === null || v === undefined || v === '' ? '∅' : JSON.stringify(v.length > 40 ? `${v.slice(0, 39)}…` : v));
  const sent = Object.keys(entry.sent);
  const others = entry.before ? changedFields(entry.before, entry.after).filter((name) => !(name in entry.sent)) : [];
  const parts = sent.map((name) => `${name}: ${value(entry.before?.[name])} → ${value(entry.after[name])}`);
  if (parts.length === 0) return vscode.l10n.t('no field sent');
  return others.length > 0 ? `${parts.join(' · ')} ${vscode.l10n.t('(also changed: {0})', others.join(', '))}` : parts.join(' · ');
}
