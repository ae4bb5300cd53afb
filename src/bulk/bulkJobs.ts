import * as vscode from 'vscode';
import { describeCondition } from '../messages/filterOperators';
import { apiDateFormat } from '../api/dates';
import { renderText, type LocalisableText } from '../api/text';
import { countOutcomes, mergeOutcomes, type BulkResult, type EntryOutcome, type OutcomeStatus, type RequestRecord } from './bulkOutcome';
import { batchSizeFor, pacedDurationMs, plannedRequests, type BulkPlan } from './bulkPlan';
import { Disposable } from '../lifecycle/disposable';

/** The read-only documents of bulk jobs: a preview before anything is sent, a summary after. */
export const BULK_SCHEME = 'directory-records-bulk';

/** How many finished jobs are kept for Retry and their summaries. */
const KEPT_JOBS = 10;

export interface BulkJob {
  readonly id: number;
  /** The plan as first confirmed; a retry runs part of it. */
  readonly plan: BulkPlan;
  /** How the action is named, e.g. "Mark as Viewed". */
  readonly title: string;
  outcomes: EntryOutcome[] | undefined;
  readonly requests: RequestRecord[];
  cancelled: boolean;
}

/** Keeps recent jobs and serves their preview and summary documents. */
export class BulkJobs extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly jobs = new Map<number, BulkJob>();
  /** Site and resource of each bulk run under way: one at a time there, so no record is written by two runs. */
  private readonly running = new Set<string>();
  private nextId = 1;
  private readonly changed = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;

  constructor(private readonly requestsPerMinute: (site: string) => number) {
    super();
  }

  create(plan: BulkPlan, title: string): BulkJob {
    const job: BulkJob = { id: this.nextId++, plan, title, outcomes: undefined, requests: [], cancelled: false };
    this.jobs.set(job.id, job);
    for (const id of [...this.jobs.keys()].slice(0, Math.max(0, this.jobs.size - KEPT_JOBS))) this.jobs.delete(id);
    return job;
  }

  /** Whether a bulk run on this site's resource is under way. */
  isRunning(plan: BulkPlan): boolean {
    return this.running.has(runKey(plan));
  }

  /**
   * Claims the plan's site and resource for a run: false when a run there is already under way
   * (a second run could send the same write again). Call the returned release once the run ends.
   */
  claim(plan: BulkPlan): (() => void) | undefined {
    const key = runKey(plan);
    if (this.running.has(key)) return undefined;
    this.running.add(key);
    return () => this.running.delete(key);
  }

  get(id: number): BulkJob | undefined {
    return this.jobs.get(id);
  }

  /** The newest job that has something to retry. */
  latestRetryable(): BulkJob | undefined {
    return [...this.jobs.values()].reverse().find((job) => job.outcomes?.some((o) => o.status === 'failed' || o.status === 'unknown' || o.status === 'notRun'));
  }

  /** Records a run (the first, or a retry of part of the job). */
  record(job: BulkJob, result: BulkResult): void {
    job.outcomes = job.outcomes ? mergeOutcomes(job.outcomes, result.outcomes) : [...result.outcomes];
    job.requests.push(...result.requests);
    job.cancelled = result.cancelled;
    this.changed.fire(this.summaryUri(job));
  }

  previewUri(job: BulkJob): vscode.Uri {
    return vscode.Uri.from({ scheme: BULK_SCHEME, path: `/${vscode.l10n.t('Preview')} ${job.id} - ${job.title}.txt`, query: `job=${job.id}&doc=preview` });
  }

  summaryUri(job: BulkJob): vscode.Uri {
    return vscode.Uri.from({ scheme: BULK_SCHEME, path: `/${vscode.l10n.t('Summary')} ${job.id} - ${job.title}.txt`, query: `job=${job.id}&doc=summary` });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const params = new URLSearchParams(uri.query);
    const job = this.jobs.get(Number(params.get('job')));
    if (!job) return vscode.l10n.t('This bulk job is no longer kept (only the last {0} are).', KEPT_JOBS);
    return params.get('doc') === 'summary' ? this.summary(job) : this.preview(job);
  }

  /** Every record with exactly what will change; nothing has been sent when this is shown. */
  private preview(job: BulkJob): string {
    const { plan } = job;
    const { resource } = plan;
    const rpm = this.requestsPerMinute(plan.site);
    const { reads, writes } = plannedRequests(plan, batchSizeFor(rpm));
    const lines = [
      vscode.l10n.t('{0}: {1} {2} on "{3}"', job.title, plan.entries.length.toLocaleString(vscode.env.language), resource.plural.toLowerCase(), plan.site),
      plan.scope === 'matching'
        ? vscode.l10n.t('Records: all matching the filter {0}, listed just now.', plan.filters && plan.filters.length > 0 ? plan.filters.map(describeCondition).join(vscode.l10n.t(' and ')) : vscode.l10n.t('(none: every record)'))
        : vscode.l10n.t('Records: the selection in the Sites view.'),
      // Short lines: a preview opens beside the tree, where long ones run off the right edge.
      vscode.l10n.t('Requests: {0} read(s) of up to 100 records, {1} write(s).', reads, writes),
      vscode.l10n.t('Time: {0} at {1} requests a minute.', duration(pacedDurationMs(reads + writes, rpm)), rpm),
      vscode.l10n.t('Each record is read again just before it is changed.'),
      vscode.l10n.t('A record changed on the server since it was listed is skipped.'),
      vscode.l10n.t('Nothing has been sent yet.'),
      '',
    ];
    const dates = apiDateFormat(vscode.env.language);
    for (const entry of plan.entries) {
      const head = `${resource.primaryKey} ${entry.id}  ${resource.label(entry.listed, dates)}`;
      if (plan.action.kind === 'delete') lines.push(`${head}\n    ${vscode.l10n.t('delete (a copy is kept for Restore Deleted Record…)')}`);
      else if (entry.changes.length === 0) lines.push(`${head}\n    ${vscode.l10n.t('already has the value: no request')}`);
      else lines.push(`${head}\n${entry.changes.map((c) => `    ${c.field}: ${quote(c.before)} → ${c.after === null ? vscode.l10n.t('(cleared)') : quote(c.after)}`).join('\n')}`);
    }
    return `${lines.join('\n')}\n`;
  }

  /** Done, unchanged, skipped and failed with the reason, failures first. */
  private summary(job: BulkJob): string {
    const { plan } = job;
    const outcomes = job.outcomes ?? [];
    const counts = countOutcomes(outcomes);
    const locale = vscode.env.language;
    const failed = counts.failed + counts.unknown + counts.notRun;
    const lines = [
      vscode.l10n.t('{0}: {1} {2} on "{3}"', job.title, plan.entries.length.toLocaleString(locale), plan.resource.plural.toLowerCase(), plan.site),
      summaryLine(outcomes),
      job.cancelled ? vscode.l10n.t('The job was cancelled: records not sent are listed as not run.') : '',
      failed > 0 ? vscode.l10n.t('Retry Failed Bulk Changes (command palette, or the notification) retries the {0} not done; a record whose reply was lost is read again first.', failed) : '',
      requestLine(job.requests),
      '',
    ].filter((line, i) => line !== '' || i === 5);
    const dates = apiDateFormat(locale);
    const listed = new Map(plan.entries.map((entry) => [entry.id, entry.listed]));
    const order: OutcomeStatus[] = ['failed', 'unknown', 'notRun', 'skipped', 'done', 'unchanged'];
    for (const status of order) {
      const group = outcomes.filter((o) => o.status === status);
      if (group.length === 0) continue;
      lines.push(`${statusName(status)} (${group.length.toLocaleString(locale)})`);
      for (const outcome of group) {
        const record = listed.get(outcome.id);
        const label = record ? plan.resource.label(record, dates) : '';
        lines.push(`  ${plan.resource.primaryKey} ${outcome.id}  ${label}${outcome.reason ? `: ${translate(outcome.reason)}` : ''}`);
      }
      lines.push('');
    }
    return `${lines.join('\n')}\n`;
  }
}

/** "done 9, unchanged 1, skipped 0, failed 2". */
export function summaryLine(outcomes: readonly EntryOutcome[]): string {
  const c = countOutcomes(outcomes);
  return vscode.l10n.t('done {0}, unchanged {1}, skipped (changed on the server) {2}, failed {3}', c.done, c.unchanged, c.skipped, c.failed + c.unknown + c.notRun);
}

function requestLine(requests: readonly RequestRecord[]): string {
  const of = (kind: RequestRecord['kind']) => requests.filter((r) => r.kind === kind).length;
  const lost = requests.filter((r) => r.result === 'lost').length;
  const failed = requests.filter((r) => r.result === 'failed').length;
  return vscode.l10n.t('Requests sent: {0} read(s), {1} update(s), {2} delete(s); {3} failed, {4} with the reply lost.', of('read'), of('update'), of('delete'), failed, lost);
}

function statusName(status: OutcomeStatus): string {
  switch (status) {
    case 'done':
      return vscode.l10n.t('Done');
    case 'unchanged':
      return vscode.l10n.t('Unchanged (no request sent)');
    case 'skipped':
      return vscode.l10n.t('Skipped: changed on the server since listed, not overwritten');
    case 'failed':
      return vscode.l10n.t('Failed');
    case 'unknown':
      return vscode.l10n.t('Reply lost, not yet checked');
    case 'notRun':
      return vscode.l10n.t('Not run (cancelled)');
  }
}

function translate(text: LocalisableText): string {
  return renderText(text, (template, args) => vscode.l10n.t(template, ...args));
}

function quote(value: string | null): string {
  return value === null ? vscode.l10n.t('(empty)') : JSON.stringify(value);
}

/** "under a second", "about 40 s", "about 10 min". */
export function duration(ms: number): string {
  if (ms < 1000) return vscode.l10n.t('under a second');
  if (ms < 90_000) return vscode.l10n.t('about {0} s', Math.round(ms / 1000));
  return vscode.l10n.t('about {0} min', Math.round(ms / 60_000));
}

function runKey(plan: BulkPlan): string {
  return `${plan.site}\u0000${plan.resource.model}`;
}
