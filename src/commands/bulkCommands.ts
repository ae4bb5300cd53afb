import * as vscode from 'vscode';
import type { RecordFilter } from '../api/filters';
import { UNREAD_FILTER, viewedFields } from '../api/notificationViews';
import { resourceFor, WEBSITE_NOTIFICATIONS, type ResourceDescriptor } from '../api/resources';
import { countOutcomes, retryPlan, type OutcomeCounts } from '../bulk/bulkOutcome';
import { batchSizeFor, pacedDurationMs, pendingEntries, planBulk, plannedRequests, unknownFilterColumns, type BulkAction, type BulkPlan } from '../bulk/bulkPlan';
import { listMatching } from '../bulk/matchingRecords';
import { duration, summaryLine, type BulkJob } from '../bulk/bulkJobs';
import { refuseIfReadOnly } from '../sites/writeGate';
import type { SiteConfig } from '../sites/siteConfig';
import { describeCondition } from '../messages/filterOperators';
import { treeId, type RecordNode, type TreeNode } from '../tree/treeNodes';
import { COMMANDS } from '../commandIds';
import type { ArgsHandler, CommandContext } from './commandContext';
import { givenObject, type CommandArgs } from './commandArgs';
import { reportFailure } from './reportFailure';
import { askFieldAndValue } from './setField/setField';
import { pickSiteAndResource } from './pickers';

type BulkCommand = 'setField' | 'markAllViewed' | 'setFieldAllMatching' | 'deleteAllMatching' | 'retryBulk';

/** What the in-host tests (CommandArgs.given, nobody else) can give a bulk command instead of asking. */
interface BulkOptions {
  /** Skip the confirmation dialog (the preview is still shown). */
  readonly confirmed?: boolean;
  /** Set Field…: the field and value, instead of the prompts. */
  readonly field?: string;
  readonly value?: string;
}

/** What a bulk command returns: the job and how its records fared. */
export interface BulkCommandResult {
  readonly job: number;
  readonly counts: OutcomeCounts;
}

/**
 * The records a record command acts on when several rows are selected: VS Code passes the row
 * clicked and the whole selection. Undefined when the command is about one record (no
 * selection, one row, or a click outside the selection). A selection holding other rows, or
 * records of several sites or kinds, is refused.
 */
export function selectedRecords(clicked: TreeNode | undefined, selected: readonly TreeNode[] | undefined): RecordNode[] | undefined {
  if (!Array.isArray(selected) || selected.length < 2 || !clicked) return undefined;
  const nodes = selected;
  if (!nodes.some((node) => treeId(node) === treeId(clicked))) return undefined;
  if (nodes.some((node) => node.type !== 'record')) throw new Error(vscode.l10n.t('The selection holds rows that are not records. Select records only (Ctrl+click or Shift+click), then try again.'));
  const records = nodes as RecordNode[];
  const kinds = new Set(records.map((node) => `${node.site}\u0000${node.model}`));
  if (kinds.size > 1) {
    const names = [...kinds].map((kind) => {
      const [site, model] = kind.split('\u0000') as [string, string];
      return `${resourceFor(model)?.plural ?? model} (${site})`;
    });
    throw new Error(vscode.l10n.t('The selection mixes {0}. A bulk action works on records of one kind on one site: select only those, then try again. Nothing was sent.', names.join(', ')));
  }
  return records;
}

export function bulkCommands(ctx: CommandContext): Record<(typeof COMMANDS)[BulkCommand], ArgsHandler> {
  return {
    [COMMANDS.setField]: async (args: CommandArgs) => {
      const given = bulkOptions(givenObject(args, 0));
      const clicked = args.node;
      // A record row (and the selection), else the selected records; another row or a document names none.
      if ((clicked && clicked.type !== 'record') || args.uri) return undefined;
      const nodes = selectedRecords(clicked, args.selection) ?? (clicked ? [clicked] : ctx.treeView.selection.filter((n): n is RecordNode => n.type === 'record'));
      if (nodes.length === 0) return undefined;
      if (nodes.length > 1) selectedRecords(nodes[0], nodes);
      const first = nodes[0]!;
      const resource = resourceFor(first.model)!;
      const site = siteOf(ctx, first.site);
      refuseIfReadOnly(site);
      const chosen = await askFieldAndValue(resource, ctx.model.columnsSeen({ site: site.name, model: resource.model }), given);
      if (!chosen) return undefined;
      const plan = planBulk(site.name, resource, { kind: 'setFields', fields: { [chosen.field]: chosen.value } }, nodes.map((n) => n.record), 'selection');
      return runJob(ctx, plan, setTitle(chosen.field, chosen.value), given);
    },

    [COMMANDS.markAllViewed]: async (args: CommandArgs) => {
      const given = bulkOptions(givenObject(args, 0));
      const picked = await pickSiteAndResource(ctx, resourceRow(args.node), vscode.l10n.t('Mark all website notifications as viewed on which site?'), (r) => r.model === WEBSITE_NOTIFICATIONS.model);
      if (!picked || picked.resource.model !== WEBSITE_NOTIFICATIONS.model) return undefined;
      return matchingJob(ctx, picked.site, picked.resource, { kind: 'setFields', fields: viewedFields(true) }, vscode.l10n.t('Mark All as Viewed'), given, [UNREAD_FILTER]);
    },

    [COMMANDS.setFieldAllMatching]: async (args: CommandArgs) => {
      const given = bulkOptions(givenObject(args, 0));
      const picked = await pickSiteAndResource(ctx, resourceRow(args.node), vscode.l10n.t('Set a field on every matching record of which kind?'), (r) => r.canUpdate && r.api === 'brilliantDirectories');
      if (!picked) return undefined;
      refuseIfReadOnly(picked.site);
      const chosen = await askFieldAndValue(picked.resource, ctx.model.columnsSeen({ site: picked.site.name, model: picked.resource.model }), given);
      if (!chosen) return undefined;
      return matchingJob(ctx, picked.site, picked.resource, { kind: 'setFields', fields: { [chosen.field]: chosen.value } }, setTitle(chosen.field, chosen.value), given);
    },

    [COMMANDS.deleteAllMatching]: async (args: CommandArgs) => {
      const given = bulkOptions(givenObject(args, 0));
      const picked = await pickSiteAndResource(ctx, resourceRow(args.node), vscode.l10n.t('Delete every matching record of which kind?'), (r) => r.canDelete && r.api === 'brilliantDirectories');
      if (!picked) return undefined;
      return matchingJob(ctx, picked.site, picked.resource, { kind: 'delete' }, vscode.l10n.t('Delete'), given);
    },

    // The palette's Retry Failed: the latest job with failures (a test may name one).
    [COMMANDS.retryBulk]: async (args: CommandArgs) => {
      const jobId = args.given[0];
      return retryJob(ctx, typeof jobId === 'number' ? jobId : undefined, bulkOptions(givenObject(args, 1)));
    },
  };
}

/** A resource row for the "all matching" commands (a record row names its resource too); any other row asks. */
function resourceRow(node: TreeNode | undefined): TreeNode | undefined {
  return node?.type === 'resource' || node?.type === 'record' ? node : undefined;
}

/** The options a test gave (CommandArgs.given), read field by field: nothing else reaches them. */
export function bulkOptions(value: Record<string, unknown> | undefined): BulkOptions {
  const text = (name: string): string | undefined => (typeof value?.[name] === 'string' ? (value[name] as string) : undefined);
  return { confirmed: value?.['confirmed'] === true, field: text('field'), value: text('value') };
}

/** Retry of a job's failures (the job named, else the latest with any), after asking. */
async function retryJob(ctx: CommandContext, jobId: number | undefined, given: BulkOptions): Promise<BulkCommandResult | undefined> {
  const job = jobId !== undefined ? ctx.bulkJobs.get(jobId) : ctx.bulkJobs.latestRetryable();
  const plan = job?.outcomes && retryPlan(job.plan, job.outcomes);
  if (!job || !plan) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No bulk job has anything left to retry.'));
    return undefined;
  }
  const site = siteOf(ctx, plan.site);
  refuseIfReadOnly(site);
  refuseIfRunning(ctx, plan);
  if (!given.confirmed) {
    const retry = vscode.l10n.t('Retry');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Retry {0} of {1} {2} on "{3}"?', plan.entries.length, job.title, plan.resource.plural.toLowerCase(), plan.site),
      { modal: true, detail: vscode.l10n.t('Each record is read again first: one whose earlier reply was lost is counted done if the change is there, and nothing is sent twice. A record changed on the server meanwhile is skipped.') },
      retry,
    );
    if (answer !== retry) return undefined;
  }
  return execute(ctx, job, plan);
}

/**
 * A language-model tool's proposal (src/agent): the same preview and the same confirmation as the
 * commands, never confirmed in advance, whatever mode the extension runs in.
 */
export function proposeBulkJob(ctx: CommandContext, plan: BulkPlan, title: string): Promise<BulkCommandResult | undefined> {
  refuseIfReadOnly(siteOf(ctx, plan.site));
  if (plan.action.kind === 'delete') throw new Error(vscode.l10n.t('A delete is never proposed by a tool. Nothing was sent.'));
  return runJob(ctx, plan, title, {});
}

/** Mark as Viewed / Mark as Unread / Delete on a multi-selection: the same preview and job as the rest. */
export function selectionJob(ctx: CommandContext, nodes: readonly RecordNode[], action: BulkAction, title: string, given: BulkOptions): Promise<BulkCommandResult | undefined> {
  const first = nodes[0]!;
  const site = siteOf(ctx, first.site);
  refuseIfReadOnly(site);
  const plan = planBulk(site.name, resourceFor(first.model)!, action, nodes.map((n) => n.record), 'selection');
  return runJob(ctx, plan, title, given);
}

function siteOf(ctx: CommandContext, name: string): SiteConfig {
  const site = ctx.connections.find(name);
  if (!site) throw new Error(vscode.l10n.t('There is no site named "{0}".', name));
  return site;
}

function setTitle(field: string, value: string): string {
  return value === '' ? vscode.l10n.t('Clear {0}', field) : vscode.l10n.t('Set {0} to "{1}"', field, value);
}

/**
 * "All records matching the current filter": refused before anything runs when the filter names
 * a column the resource does not have (BD would answer "no match"); then listed to ids, in the
 * background lane, and planned like a selection.
 */
async function matchingJob(ctx: CommandContext, site: SiteConfig, resource: ResourceDescriptor, action: BulkAction, title: string, given: BulkOptions, extra: readonly RecordFilter[] = []): Promise<BulkCommandResult | undefined> {
  refuseIfReadOnly(site);
  if (site.kind !== 'brilliantDirectories') throw new Error(vscode.l10n.t('{0} are read-only: the API has no update or delete for them.', resource.plural));
  const ref = { site: site.name, model: resource.model };
  const query = ctx.model.state(ref).query;
  const filters = [...(query?.kind === 'bd' ? query.filters : []), ...extra];
  const unknown = unknownFilterColumns(resource, filters, ctx.model.columnsSeen(ref));
  if (unknown.length > 0) {
    throw new Error(vscode.l10n.t('The filter names {0}, which {1} do not have (nor any record listed here). Brilliant Directories would answer "no match" instead of an error, so nothing was run. Fix the filter first.', unknown.map((name) => `"${name}"`).join(', '), resource.plural.toLowerCase()));
  }
  const api = await ctx.connections.require(site.name);
  const records = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Listing the {0} that match…', resource.plural.toLowerCase()), cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const cancelled = token.onCancellationRequested(() => abort.abort());
      try {
        return await listMatching(api, resource, filters, {
          signal: abort.signal,
          onProgress: (listed, total) => progress.report({ message: total === undefined ? String(listed) : vscode.l10n.t('{0} of {1}', listed, total) }),
        });
      } finally {
        cancelled.dispose();
      }
    },
  );
  const filterText = filters.length > 0 ? filters.map(describeCondition).join(vscode.l10n.t(' and ')) : vscode.l10n.t('(no filter)');
  if (records.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No {0} match {1}: nothing to do.', resource.plural.toLowerCase(), filterText));
    return undefined;
  }
  return runJob(ctx, planBulk(site.name, resource, action, records, 'matching', filters), title, given);
}

/** Shows the preview, asks (with the count, and the time when over a minute), then runs. */
async function runJob(ctx: CommandContext, plan: BulkPlan, title: string, given: BulkOptions): Promise<BulkCommandResult | undefined> {
  const pending = pendingEntries(plan).length;
  const plural = plan.resource.plural.toLowerCase();
  if (pending === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0}: all {1} {2} already have it. Nothing was sent.', title, plan.entries.length, plural));
    return undefined;
  }
  refuseIfRunning(ctx, plan);
  const job = ctx.bulkJobs.create(plan, title);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(ctx.bulkJobs.previewUri(job)), { preview: true, preserveFocus: true });
  if (!given.confirmed && !(await confirmJob(ctx, plan, title))) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0}: not sent (cancelled).', title));
    return undefined;
  }
  return execute(ctx, job, plan);
}

async function confirmJob(ctx: CommandContext, plan: BulkPlan, title: string): Promise<boolean> {
  const site = siteOf(ctx, plan.site);
  const rpm = ctx.connections.requestsPerMinute(site);
  const { reads, writes } = plannedRequests(plan, batchSizeFor(rpm));
  const ms = pacedDurationMs(reads + writes, rpm);
  const count = pendingEntries(plan).length;
  const send = plan.action.kind === 'delete' ? vscode.l10n.t('Delete') : vscode.l10n.t('Send');
  const question = vscode.l10n.t('{0}: {1} of {2} {3} on "{4}"?', title, count, plan.entries.length, plan.resource.plural.toLowerCase(), plan.site);
  const details = [
    vscode.l10n.t('The preview lists each record and exactly what changes.'),
    ms > 60_000
      ? vscode.l10n.t('This takes {0}: {1} requests at {2} a minute (the site\'s limit). Opening and saving records goes ahead of it meanwhile.', duration(ms), reads + writes, rpm)
      : vscode.l10n.t('{0} requests at {1} a minute.', reads + writes, rpm),
    plan.action.kind === 'delete' ? vscode.l10n.t('Deleting cannot be undone on the server; a copy of each record is kept for 30 days for "Restore Deleted Record…".') : '',
  ].filter(Boolean);
  const answer = await vscode.window.showWarningMessage(question, { modal: true, detail: details.join('\n\n') }, send);
  return answer === send;
}

/** One bulk run per site and resource at a time: a second could read before the first writes and send the same write again. */
function refuseIfRunning(ctx: CommandContext, plan: BulkPlan): void {
  if (ctx.bulkJobs.isRunning(plan)) throw runningError(plan);
}

function runningError(plan: BulkPlan): Error {
  return new Error(vscode.l10n.t('A bulk job on the {0} of "{1}" is still running. Wait for it to finish (or cancel it), then try again. Nothing was sent.', plan.resource.plural.toLowerCase(), plan.site));
}

/** Runs (part of) a job with progress and Cancel, records it, updates the tree and shows the summary. */
async function execute(ctx: CommandContext, job: BulkJob, plan: BulkPlan): Promise<BulkCommandResult> {
  // Claimed before anything is awaited, so two commands started together cannot both pass.
  const release = ctx.bulkJobs.claim(plan);
  if (!release) throw runningError(plan);
  try {
    return await runAndReport(ctx, job, plan);
  } finally {
    release();
  }
}

async function runAndReport(ctx: CommandContext, job: BulkJob, plan: BulkPlan): Promise<BulkCommandResult> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('{0}: {1} {2}', job.title, plan.entries.length, plan.resource.plural.toLowerCase()), cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const cancelled = token.onCancellationRequested(() => abort.abort());
      let shown = 0;
      try {
        return await ctx.records.runBulk(plan, {
          signal: abort.signal,
          // Batches the site's pace sends in ~10 s: a write goes out soon after its record was read again.
          batchSize: batchSizeFor(ctx.connections.requestsPerMinute(siteOf(ctx, plan.site))),
          onProgress: (settled, total) => {
            const now = (settled / total) * 100;
            progress.report({ increment: now - shown, message: vscode.l10n.t('{0} of {1}', settled, total) });
            shown = now;
          },
        });
      } finally {
        cancelled.dispose();
      }
    },
  );
  ctx.bulkJobs.record(job, result);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(ctx.bulkJobs.summaryUri(job)), { preview: true, preserveFocus: true });
  const outcomes = job.outcomes ?? [];
  const counts = countOutcomes(outcomes);
  const failed = counts.failed + counts.unknown + counts.notRun;
  const text = `${job.title}: ${summaryLine(outcomes)}`;
  ctx.log.info(`bulk job ${job.id} on ${plan.site}: ${text}`);
  if (failed > 0) {
    const retry = vscode.l10n.t('Retry Failed');
    // This job's own retry, called directly: a job id is not something the command takes from its callers.
    void vscode.window.showWarningMessage(text, retry).then((choice) => (choice === retry ? retryJob(ctx, job.id, bulkOptions(undefined)).catch((error: unknown) => reportFailure(ctx, COMMANDS.retryBulk, error)) : undefined));
  } else {
    void vscode.window.showInformationMessage(text);
  }
  return { job: job.id, counts };
}
