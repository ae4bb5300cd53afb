import * as os from 'node:os';
import * as vscode from 'vscode';
import { resourceFor, storedFields, type ResourceDescriptor } from '../api/resources';
import type { ApiRecord } from '../api/schemas';
import type { ExportOutcome, ExportPage } from '../export/exportFile';
import { defaultExportName, EXPORT_FORMATS, type ExportFormat } from '../export/exportFormat';
import { EXPORT_PAGE_SIZE } from '../export/exportPages';
import { estimateTimeLeftMs } from '../export/timeLeft';
import { CONFIG_SECTION, type SiteConfig } from '../sites/siteConfig';
import { listingQuery } from '../tree/listingQuery';
import type { RecordNode, TreeNode } from '../tree/treeNodes';
import type { ArgsHandler, CommandContext } from './commandContext';
import { givenObject, type CommandArgs } from './commandArgs';
import { COMMANDS } from '../commandIds';
import { pickSiteAndResource } from './pickers';
import { errorText } from '../messages/errorText';

/**
 * What the in-host tests (CommandArgs.given, nobody else) can give Export Records… instead of
 * asking: the format, the file, a signal that cancels as the notification's Cancel does, and
 * the answer to "keep the partial file?".
 */
interface ExportRequest {
  readonly format?: ExportFormat;
  readonly target?: vscode.Uri | string;
  readonly signal?: AbortSignal;
  readonly partial?: 'keep' | 'delete';
}

/** What the command returns (for tests): where the file went, or that nothing was kept. */
export interface ExportResult {
  readonly status: 'done' | 'partial' | 'deleted';
  readonly path?: string;
  readonly records: number;
}

/** What one export covers: the listing of a resource (its filter and sort), or records picked in the tree. */
type ExportSource =
  | { readonly kind: 'listing'; readonly site: SiteConfig; readonly resource: ResourceDescriptor }
  | { readonly kind: 'selection'; readonly site: SiteConfig; readonly resource: ResourceDescriptor; readonly records: readonly ApiRecord[] };

export function exportCommands(ctx: CommandContext): Record<typeof COMMANDS.exportRecords, ArgsHandler> {

  /** The selection when several records are selected (by the clicked node's menu or the view's), else a resource's listing. */
  async function sourceOf(node: TreeNode | undefined, nodes: readonly TreeNode[] | undefined): Promise<ExportSource | undefined> {
    const selected = nodes && nodes.length > 0 ? nodes : node ? [node] : ctx.treeView.selection.length > 1 ? ctx.treeView.selection : [];
    const records = selected.filter((n): n is RecordNode => n.type === 'record');
    if (records.length > 0 && (records.length > 1 || node?.type === 'record')) {
      const [first] = records;
      if (records.length !== selected.length || records.some((r) => r.site !== first!.site || r.model !== first!.model)) {
        throw new Error(vscode.l10n.t('Select records of one kind on one site to export them together.'));
      }
      const site = ctx.connections.find(first!.site);
      const resource = resourceFor(first!.model);
      if (!site || !resource) throw new Error(vscode.l10n.t('Site "{0}" is no longer configured.', first!.site));
      return { kind: 'selection', site, resource, records: records.map((r) => r.record) };
    }
    const picked = await pickSiteAndResource(ctx, node?.type === 'message' ? undefined : node, vscode.l10n.t('Export which records?'));
    return picked && { kind: 'listing', ...picked };
  }

  async function askFormat(): Promise<ExportFormat | undefined> {
    const descriptions: Record<ExportFormat, string> = {
      csv: vscode.l10n.t('For spreadsheets: one row per record, a header of field names'),
      json: vscode.l10n.t('One JSON array of records, values as the API sent them'),
      ndjson: vscode.l10n.t('One JSON record per line (NDJSON), for scripts and data tools'),
    };
    const picked = await vscode.window.showQuickPick(
      EXPORT_FORMATS.map((format) => ({ label: format.toUpperCase(), description: descriptions[format], format })),
      { title: vscode.l10n.t('Export as'), ignoreFocusOut: true },
    );
    return picked?.format;
  }

  async function askTarget(source: ExportSource, format: ExportFormat): Promise<string | undefined> {
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri ?? vscode.Uri.file(os.homedir());
    const name = defaultExportName(source.site.name, source.resource.model, format, new Date());
    const uri = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(folder, name),
      filters: { [format.toUpperCase()]: [format] },
      title: vscode.l10n.t('Export {0} of {1}', source.resource.plural, source.site.name),
      saveLabel: vscode.l10n.t('Export'),
    });
    return uri && filePath(uri);
  }

  async function askKeepPartial(outcome: Extract<ExportOutcome, { status: 'stopped' }>): Promise<boolean> {
    const keep = vscode.l10n.t('Keep Partial File');
    const remove = vscode.l10n.t('Delete Partial File');
    const why = outcome.cancelled ? vscode.l10n.t('Export cancelled after {0} records.', outcome.records) : vscode.l10n.t('Export stopped after {0} records: {1}', outcome.records, errorText(outcome.error));
    // The dialog's own Cancel (or Escape) keeps the file: only the explicit button deletes it.
    const answer = await vscode.window.showWarningMessage(why, { modal: true, detail: vscode.l10n.t('Keep what was written, as a file whose name says it is partial, or delete it? Closing this question keeps it.') }, keep, remove);
    return answer !== remove;
  }

  return {
    [COMMANDS.exportRecords]: async (args: CommandArgs): Promise<ExportResult | undefined> => {
      const request = exportRequest(givenObject(args, 0));
      const source = await sourceOf(args.node, args.selection);
      if (!source) return undefined;
      const format = request.format ?? (await askFormat());
      if (!format) return undefined;
      const target = request.target !== undefined ? (typeof request.target === 'string' ? request.target : filePath(request.target)) : await askTarget(source, format);
      if (!target) return undefined;
      const api = source.kind === 'listing' ? await ctx.connections.require(source.site.name) : undefined;
      const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
      const csv = {
        columns: storedFields(source.resource).map((field) => field.name),
        formulaGuard: config.get<boolean>('export.csvFormulaGuard', true),
        byteOrderMark: config.get<boolean>('export.csvByteOrderMark', true),
      };
      const abort = new AbortController();
      const given = request.signal;
      const onGiven = (): void => abort.abort(given?.reason);
      if (given?.aborted) onGiven();
      given?.addEventListener('abort', onGiven, { once: true });
      const outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Exporting {0} of {1}', source.resource.plural, source.site.name), cancellable: true },
        async (progress, token) => {
          const cancelled = token.onCancellationRequested(() => abort.abort());
          try {
            // Loaded on the first export (dist/exportCore.js), so activation does not load the CSV libraries.
            const { exportToFile, listingPages, recordPages } = await import('../export/exportCore');
            let pages: AsyncIterable<ExportPage>;
            if (source.kind === 'selection') {
              pages = recordPages(source.records);
            } else {
              const state = ctx.model.state({ site: source.site.name, model: source.resource.model });
              const query = listingQuery(source.resource.api, state.query, state.sort, new Date());
              pages = listingPages(api!, source.resource, query, abort.signal);
            }
            // The pace of a page, from the last few: a wait for the rate limit's window is not the pace.
            const recent: number[] = [];
            let last = Date.now();
            let shown = 0;
            return await exportToFile(pages, {
              target,
              format,
              csv,
              signal: abort.signal,
              onProgress: ({ records, total }) => {
                const now = Date.now();
                recent.push(now - last);
                last = now;
                if (recent.length > 9) recent.shift();
                const percent = total ? Math.min(100, (records / total) * 100) : 0;
                const left = total === undefined ? undefined : timeLeft(source, total - records, [...recent].sort((a, b) => a - b)[Math.floor(recent.length / 2)]!);
                const message = total === undefined
                  ? vscode.l10n.t('{0} records', records)
                  : left === undefined
                    ? vscode.l10n.t('{0} of {1} records', records, total)
                    : vscode.l10n.t('{0} of {1} records, about {2} left', records, total, left);
                progress.report({ message, increment: percent - shown });
                shown = percent;
              },
            });
          } finally {
            cancelled.dispose();
            given?.removeEventListener('abort', onGiven);
          }
        },
      );
      if (outcome.status === 'done') {
        const note = outcome.lateColumns.length > 0 ? ` ${vscode.l10n.t('Columns first seen after the first page were added to the header: {0}.', outcome.lateColumns.join(', '))}` : '';
        ctx.log.info(`Exported ${outcome.records} ${source.resource.model} of ${source.site.name} to ${outcome.path}`);
        void offerToOpen(vscode.l10n.t('Exported {0} records to {1}.', outcome.records, outcome.path) + note, outcome.path);
        return { status: 'done', path: outcome.path, records: outcome.records };
      }
      if (!outcome.cancelled && outcome.records === 0) {
        // Nothing was written (the first page failed: a refused key, the site down): no question, only the reason.
        await outcome.discard();
        throw outcome.error;
      }
      if (!outcome.cancelled) ctx.log.error(`Export of ${source.resource.model} of ${source.site.name} stopped after ${outcome.records} records: ${errorText(outcome.error)}`);
      else ctx.log.info(`Export of ${source.resource.model} of ${source.site.name} cancelled after ${outcome.records} records`);
      let keep = false;
      try {
        keep = request.partial ? request.partial === 'keep' : await askKeepPartial(outcome);
      } finally {
        if (!keep) await outcome.discard();
      }
      if (!keep) return { status: 'deleted', records: outcome.records };
      const path = await outcome.keep();
      void offerToOpen(vscode.l10n.t('Kept the {0} records exported before it stopped in {1}.', outcome.records, path), path);
      return { status: 'partial', path, records: outcome.records };
    },
  };

  /** The message after an export, with Open (in VS Code) and Reveal (in the system's file manager). */
  async function offerToOpen(message: string, path: string): Promise<void> {
    const open = vscode.l10n.t('Open');
    const reveal = vscode.l10n.t('Reveal in File Explorer');
    // Revealing needs the file on this computer: not in a browser or a remote window.
    const local = vscode.env.uiKind === vscode.UIKind.Desktop && vscode.env.remoteName === undefined;
    const answer = await vscode.window.showInformationMessage(message, ...(local ? [open, reveal] : [open]));
    const uri = vscode.Uri.file(path);
    if (answer === open) await vscode.commands.executeCommand('vscode.open', uri);
    else if (answer === reveal) await vscode.commands.executeCommand('revealFileInOS', uri);
  }

  /** "about 2 min" from the site's rate limit and the pace so far; undefined when it is nothing worth saying. */
  function timeLeft(source: ExportSource, recordsLeft: number, msPerRequest: number): string | undefined {
    if (recordsLeft <= 0 || source.kind !== 'listing') return undefined;
    const budget = ctx.connections.budgetOf(source.site);
    const ms = estimateTimeLeftMs({ requestsLeft: Math.ceil(recordsLeft / EXPORT_PAGE_SIZE[source.resource.api]), msPerRequest, limit: budget.limit, used: budget.used, windowMs: budget.windowMs });
    if (ms < 1000) return undefined;
    return ms < 90_000 ? vscode.l10n.t('{0} s', Math.ceil(ms / 1000)) : vscode.l10n.t('{0} min', Math.ceil(ms / 60_000));
  }
}

/** A test's request, field by field: only the fields of their shape are taken. */
function exportRequest(value: Record<string, unknown> | undefined): ExportRequest {
  if (!value) return {};
  const { format, target, signal, partial } = value;
  return {
    ...((EXPORT_FORMATS as readonly unknown[]).includes(format) ? { format: format as ExportFormat } : {}),
    ...(typeof target === 'string' || target instanceof vscode.Uri ? { target } : {}),
    ...(signal instanceof AbortSignal ? { signal } : {}),
    ...(partial === 'keep' || partial === 'delete' ? { partial } : {}),
  };
}

function filePath(uri: vscode.Uri): string {
  if (uri.scheme !== 'file') throw new Error(vscode.l10n.t('Exports are written to files on this machine; {0} is not one.', uri.toString()));
  return uri.fsPath;
}
