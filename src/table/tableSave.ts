import * as vscode from 'vscode';
import { saveRows } from './rowSaver';
import { OpenRecord } from '../api/openRecord';
import { recordText } from '../api/recordText';
import type { ApiRecord } from '../api/schemas';
import { renderText } from '../api/text';
import { errorText } from '../messages/errorText';
import { isWriteRefused, refuseIfReadOnly } from '../sites/writeGate';
import type { TableDocument } from './tableEditor';
import type { TableDeps } from './tableRegistration';
import { pacedSeconds, REQUESTS_PER_ROW, reviewText } from './tableReview';

/** Answers the review instead of the modal (the test harness): true sends. */
export type ReviewAnswer = (review: string) => boolean | Promise<boolean>;

export interface TableSaveSummary {
  /** The review was declined: nothing was sent. */
  readonly declined: boolean;
  readonly saved: number;
  /** Saved, with fields changed on the server meanwhile merged in. */
  readonly merged: number;
  readonly conflicts: readonly string[];
  readonly failed: readonly { readonly id: string; readonly reason: string }[];
  /** Rows still changed after the save (declined, conflicting, failed, cancelled): they stay marked and the document dirty. */
  readonly kept: number;
}

/** Texts the table shows in read-only tabs (the review, a conflicting row's two sides), by URI. */
export class TableTexts implements vscode.TextDocumentContentProvider {
  static readonly scheme = 'directory-records-table-text';
  private readonly texts = new Map<string, string>();
  private count = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  add(name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: TableTexts.scheme, path: `/${name}`, query: String(++this.count) });
    this.texts.set(uri.toString(), text);
    return uri;
  }
}

/**
 * Ctrl+S on a table: the review (every changed record, field old → new, the requests and about
 * how long), then, on OK, each row through the record service, as a document's save: the same
 * three-way merge, the write gate (the review is a *confirm* site's confirmation; Read-only
 * refuses before the review). A conflicting or failing row does not stop the others.
 */
export async function saveTable(document: TableDocument, deps: TableDeps, token: vscode.CancellationToken, texts: TableTexts, answer: ReviewAnswer | undefined, refresh: () => void): Promise<TableSaveSummary> {
  const { model, resource } = document;
  const diffs = model.diffs();
  const none: TableSaveSummary = { declined: false, saved: 0, merged: 0, conflicts: [], failed: [], kept: 0 };
  if (diffs.length === 0) return none;
  const site = deps.connections.find(document.site);
  if (!site) throw new Error(vscode.l10n.t('Site "{0}" is no longer configured. Nothing was sent.', document.site));
  refuseIfReadOnly(site);
  const perMinute = deps.connections.requestsPerMinute(site);
  const dates = undefined;
  const review = reviewText(site.name, resource, diffs, (id) => resource.label(model.base(id) ?? {}, dates), perMinute, (text) => renderText(text, (template, args) => vscode.l10n.t(template, ...args)));
  const requests = diffs.length * REQUESTS_PER_ROW;
  let send: boolean;
  if (answer) send = await answer(review);
  else {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(texts.add(vscode.l10n.t('Review {0}.md', resource.plural), review)), { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
    const sendButton = vscode.l10n.t('Send');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('Send {0} changed {1} to "{2}"?', diffs.length, resource.plural, site.name),
      { modal: true, detail: vscode.l10n.t('{0} requests, about {1} s at the site\'s pace. The review beside lists every field, old → new.', requests, pacedSeconds(requests, perMinute)) },
      sendButton,
    );
    send = choice === sendButton;
  }
  // Declining is a decision: nothing is sent, nothing is reported as failed, the rows stay changed.
  if (!send) return { ...none, declined: true, kept: diffs.length };

  let saved = 0;
  let merged = 0;
  const conflicts: { id: string; server: ApiRecord; fields: readonly string[] }[] = [];
  const failed: { id: string; reason: string }[] = [];
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, cancellable: true, title: vscode.l10n.t('Saving {0} {1} to "{2}"', diffs.length, resource.plural, site.name) },
    async (progress, cancel) => {
      let done = 0;
      await saveRows(diffs, async (diff) => {
        const base = model.base(diff.id);
        if (!base) return;
        const edited = { ...base, ...model.editedValues(diff.id) };
        try {
          const result = await deps.records.save({ site: site.name, resource, id: diff.id }, new OpenRecord(base, 0), edited, { door: 'table', reviewed: true });
          if (result.kind === 'conflict') conflicts.push({ id: diff.id, server: result.server, fields: result.fields });
          else if (result.kind === 'saved') {
            model.saved(diff.id, result.record);
            if (result.theirsOnly.length > 0) merged++;
            else saved++;
          } else model.saved(diff.id, base);
        } catch (error) {
          failed.push({ id: diff.id, reason: errorText(error) });
          // A site made Read-only meanwhile refuses every row: the rest are not tried.
          if (isWriteRefused(error, 'readOnly')) return 'stop';
        } finally {
          done++;
          progress.report({ message: vscode.l10n.t('{0} of {1}', done, diffs.length), increment: 100 / diffs.length });
          refresh();
        }
      }, { stopped: () => cancel.isCancellationRequested || token.isCancellationRequested });
    },
  );
  const kept = model.diffs().length;
  const summary: TableSaveSummary = { declined: false, saved, merged, conflicts: conflicts.map((c) => c.id), failed, kept };
  const text = vscode.l10n.t('Table save of "{0}": {1} saved, {2} merged, {3} conflicts, {4} failed.', site.name, saved, merged, conflicts.length, failed.length);
  deps.log.info(text);
  if (failed.length > 0) {
    const lines = failed.map((f) => `${resource.singular} ${f.id}: ${f.reason}`);
    deps.log.warn(lines.join('\n'));
    void vscode.window.showWarningMessage(`${text} ${lines.slice(0, 3).join(' ')}`);
  } else void vscode.window.showInformationMessage(text);
  if (conflicts.length > 0) void resolveConflicts(document, deps, texts, conflicts, refresh);
  return summary;
}

/** The conflicting rows: Compare (each row's two sides), Overwrite my fields, or Discard my changes; nothing else waits for it. */
async function resolveConflicts(document: TableDocument, deps: TableDeps, texts: TableTexts, conflicts: readonly { id: string; server: ApiRecord; fields: readonly string[] }[], refresh: () => void): Promise<void> {
  const { model, resource } = document;
  const compare = vscode.l10n.t('Compare');
  const overwrite = vscode.l10n.t('Overwrite my fields');
  const discard = vscode.l10n.t('Discard my changes');
  const message = vscode.l10n.t(
    '{0} {1} changed on the server in the fields you changed: {2}. Nothing was sent for them; they stay changed in the table.',
    conflicts.length,
    resource.plural,
    conflicts.map((c) => `${c.id} (${c.fields.join(', ')})`).join('; '),
  );
  for (;;) {
    const choice = await vscode.window.showWarningMessage(message, compare, overwrite, discard);
    if (choice === compare) {
      for (const conflict of conflicts.slice(0, 5)) {
        const mine = { ...conflict.server, ...model.editedValues(conflict.id) };
        const left = texts.add(`${resource.singular}-${conflict.id}.server.json`, recordText(conflict.server));
        const right = texts.add(`${resource.singular}-${conflict.id}.table.json`, recordText(mine));
        await vscode.commands.executeCommand('vscode.diff', left, right, vscode.l10n.t('{0} {1}: server ↔ table', resource.singular, conflict.id));
      }
      continue;
    }
    if (choice === overwrite) {
      for (const conflict of conflicts) {
        const base = model.base(conflict.id);
        if (!base) continue;
        try {
          const result = await deps.records.save({ site: document.site, resource, id: conflict.id }, new OpenRecord(base, 0), { ...base, ...model.editedValues(conflict.id) }, { preferMine: true, door: 'table', reviewed: true });
          if (result.kind === 'saved') model.saved(conflict.id, result.record);
        } catch (error) {
          void vscode.window.showErrorMessage(vscode.l10n.t('{0} {1} was not saved: {2}', resource.singular, conflict.id, errorText(error)));
        }
      }
    } else if (choice === discard) {
      for (const conflict of conflicts) model.reset(conflict.id, conflict.server);
    }
    refresh();
    return;
  }
}
