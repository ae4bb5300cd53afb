import * as vscode from 'vscode';
import { viewedFields } from '../api/notificationViews';
import { resourceFor } from '../api/resources';
import type { ApiRecord } from '../api/schemas';
import type { DeletedRecord } from '../records/deletionJournal';
import { compareWithServer } from '../documents/serverVersionProvider';
import { discardChanges, overwriteServer } from './recordLifecycle';
import { parseRecordUri, recordDocumentUri, type SavedRecordAddress } from '../documents/recordUri';
import type { RecordNode } from '../tree/treeNodes';
import type { ArgsHandler, CommandContext } from './commandContext';
import { givenObject, type CommandArgs } from './commandArgs';
import { COMMANDS } from '../commandIds';
import { pickSiteAndResource } from './pickers';
import { apiDateFormat } from '../api/dates';
import { profileOf } from '../sites/siteConfig';
import { refuseIfReadOnly } from '../sites/writeGate';
import { bulkOptions, selectedRecords, selectionJob } from './bulkCommands';

type RecordCommand = 'newRecord' | 'deleteRecord' | 'restoreDeleted' | 'markViewed' | 'markUnread' | 'compareWithServer' | 'overwriteServer' | 'discardChanges';

export function recordCommands(ctx: CommandContext): Record<(typeof COMMANDS)[RecordCommand], ArgsHandler> {

  /** The record a command targets: a tree node, a document URI, or the active editor. */
  async function target({ node, uri: given }: CommandArgs): Promise<{ address: SavedRecordAddress; record: ApiRecord } | undefined> {
    if (node?.type === 'record') {
      const resource = resourceFor(node.model);
      return resource && { address: { kind: 'saved', site: node.site, model: node.model, resource, id: node.id }, record: node.record };
    }
    // Another kind of row names no record.
    if (node) return undefined;
    const uri = given ?? vscode.window.activeTextEditor?.document.uri;
    const address = uri && parseRecordUri(uri);
    if (!uri || address?.kind !== 'saved') return undefined;
    const record = ctx.store.baseOf(uri) ?? (await ctx.store.serverRecord(address));
    return { address, record };
  }

  async function setViewed(args: CommandArgs, viewed: boolean): Promise<void> {
    const found = await target(args);
    if (!found || found.address.model !== 'website_notifications') return;
    // One PUT with the primary key and the view field; the JSON is never opened.
    await ctx.records.setFields(found.address, found.record, viewedFields(viewed));
  }

  return {
    [COMMANDS.newRecord]: async ({ node }: CommandArgs) => {
      const picked = await pickSiteAndResource(ctx, node?.type === 'message' ? undefined : node, vscode.l10n.t('New record of which kind?'), (r) => r.canCreate);
      if (!picked) return;
      refuseIfReadOnly(picked.site);
      const uri = ctx.store.newDraft(picked.site.name, picked.resource);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: false });
      return uri.toString();
    },

    [COMMANDS.deleteRecord]: async (args: CommandArgs) => {
      // From the tree VS Code passes the row clicked and the selection; several rows: a bulk delete with its preview.
      const options = bulkOptions(givenObject(args, 0));
      const many = selectedRecords(args.node, args.selection);
      if (many) return selectionJob(ctx, many, { kind: 'delete' }, vscode.l10n.t('Delete'), options);
      const found = await target(args);
      if (!found) return;
      const { address, record } = found;
      const resource = address.resource;
      if (!resource.canDelete) throw new Error(vscode.l10n.t('{0} cannot be deleted through the API.', resource.plural));
      const label = resource.label(record, apiDateFormat(vscode.env.language));
      const site = ctx.connections.find(address.site);
      if (site) refuseIfReadOnly(site);
      // A confirm site's write gate asks anyway, naming the site: one question is enough.
      if (!options.confirmed && (!site || profileOf(site) !== 'confirm')) {
        const del = vscode.l10n.t('Delete');
        const answer = await vscode.window.showWarningMessage(
          vscode.l10n.t('Delete {0} {1}, {2}? This cannot be undone on the server.', resource.singular, address.id, label),
          { modal: true, detail: vscode.l10n.t('A copy is kept on this computer for 30 days so that "Restore Deleted Record…" can re-create it under a new id.') },
          del,
        );
        if (answer !== del) return false;
      }
      await ctx.records.delete(address);
      return true;
    },

    [COMMANDS.restoreDeleted]: async (args: CommandArgs) => {
      const given = restoreGiven(givenObject(args, 0));
      const entries = await ctx.records.kept();
      let entry = given && entries.find((e) => e.site === given.site && e.model === given.model && e.id === given.id);
      if (given && !entry) throw new Error(vscode.l10n.t('No deleted {0} {1} of "{2}" is kept on this computer.', given.model, given.id, given.site));
      if (!entry) {
        if (entries.length === 0) {
          void vscode.window.showInformationMessage(vscode.l10n.t('No deleted records are kept on this computer.'));
          return;
        }
        const picked = await vscode.window.showQuickPick(
          entries.map((e) => ({ label: e.label, description: `${e.site} · ${resourceFor(e.model)?.singular ?? e.model} ${e.id}`, detail: vscode.l10n.t('Deleted {0}', new Date(e.deletedAt).toLocaleString(vscode.env.language)), entry: e })),
          { title: vscode.l10n.t('Restore Deleted Record'), matchOnDescription: true, ignoreFocusOut: true },
        );
        entry = picked?.entry;
      }
      if (!entry) return;
      const resource = resourceFor(entry.model);
      if (!resource?.canCreate) throw new Error(vscode.l10n.t('{0} cannot be created through the API, so this record cannot be restored.', resource?.plural ?? entry.model));
      const { record, missing } = await ctx.records.restore(entry, resource);
      const newId = record[resource.primaryKey] ?? '';
      const restored = vscode.l10n.t('Restored {0} {1} as a new record with id {2}: the server gives re-created records a new id.', resource.singular, entry.id, newId);
      if (missing.length > 0) void vscode.window.showWarningMessage(`${restored} ${vscode.l10n.t('These fields did not come back as they were: {0}.', missing.join(', '))}`);
      else void vscode.window.showInformationMessage(restored);
      return newId;
    },

    // Several rows selected: every selected notification, through the preview.
    [COMMANDS.markViewed]: (args: CommandArgs) => {
      const many = notifications(selectedRecords(args.node, args.selection));
      return many ? selectionJob(ctx, many, { kind: 'setFields', fields: viewedFields(true) }, vscode.l10n.t('Mark as Viewed'), bulkOptions(givenObject(args, 0))) : setViewed(args, true);
    },
    [COMMANDS.markUnread]: (args: CommandArgs) => {
      const many = notifications(selectedRecords(args.node, args.selection));
      return many ? selectionJob(ctx, many, { kind: 'setFields', fields: viewedFields(false) }, vscode.l10n.t('Mark as Unread'), bulkOptions(givenObject(args, 0))) : setViewed(args, false);
    },

    // Editor title actions: the record's URI (a record document, or its Compare editor), else the active record.
    [COMMANDS.compareWithServer]: async (args: CommandArgs) => {
      const target = recordUriOf(args);
      if (target) await compareWithServer(target);
    },

    [COMMANDS.overwriteServer]: async (args: CommandArgs) => {
      const target = recordUriOf(args);
      return target ? overwriteServer(ctx.store, target) : false;
    },

    [COMMANDS.discardChanges]: async (args: CommandArgs) => {
      const target = recordUriOf(args);
      if (target) await discardChanges(ctx.store, target);
    },
  };
}

/** Only website notifications can be marked viewed or unread (a selection is of one kind). */
function notifications(nodes: RecordNode[] | undefined): RecordNode[] | undefined {
  if (nodes && nodes[0]?.model !== 'website_notifications') throw new Error(vscode.l10n.t('Only website notifications can be marked as viewed or unread.'));
  return nodes;
}

/** The URI given when it is a saved record's (or its server version's), else the active record editor's; a row names none. */
function recordUriOf({ node, uri }: CommandArgs): vscode.Uri | undefined {
  if (uri) return recordDocumentUri(uri) ? uri : undefined;
  if (node) return undefined;
  const active = vscode.window.activeTextEditor?.document.uri;
  return active && parseRecordUri(active)?.kind === 'saved' ? active : undefined;
}

/** A test's entry to restore (CommandArgs.given), when it has the shape of one. */
function restoreGiven(value: Record<string, unknown> | undefined): Pick<DeletedRecord, 'site' | 'model' | 'id'> | undefined {
  if (!value || typeof value['site'] !== 'string' || typeof value['model'] !== 'string' || typeof value['id'] !== 'string') return undefined;
  return { site: value['site'], model: value['model'], id: value['id'] } as Pick<DeletedRecord, 'site' | 'model' | 'id'>;
}
