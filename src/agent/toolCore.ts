import { isApiError } from '../api/errors';
import { isFieldName, type RecordFilter } from '../api/filters';
import { viewedFields } from '../api/notificationViews';
import { resourceFor, type ResourceDescriptor } from '../api/resources';
import type { ApiRecord } from '../api/schemas';
import { msg, type LocalisableText } from '../api/text';
import { batchFilter, pendingEntries, planBulk, setFieldProblem, type BulkPlan } from '../bulk/bulkPlan';
import type { ClickInsights, RankedCount } from '../insights/clickAggregates';
import { fetchClickInsights, type FetchEstimate } from '../insights/clickFetch';
import { dayBounds, type DayBounds } from '../insights/clickRange';
import { MAX_SEARCH_REQUESTS, RESULTS_PER_REQUEST, isSearchable, planSearch, searchRecords } from '../sites/recordSearch';
import type { SiteReads } from '../sites/siteApi';
import type { SiteConfig } from '../sites/siteConfig';
import { holdsMask, maskRecord, maskText, MASK } from './masking';
import { DEFAULT_CLICK_REQUESTS, parseToolInput } from './toolInput';
import { PROPOSING_TOOLS, type ToolKey } from './toolNames';

/**
 * The tools without VS Code: what each reads, refuses and answers. The host (agentTools.ts in
 * the extension, fakes in unit tests) gives the sites, their paced clients and the two ways a
 * change reaches the user: into a record's editor, unsaved, or into a bulk preview that asks.
 */
export interface ToolHost {
  readonly sites: () => readonly SiteConfig[];
  /** The site's client (connections.require): every read costs its request budget and is paced. */
  readonly reads: (site: string) => Promise<SiteReads>;
  /** Whether the user lets the model see this site's personal data (directoryRecords.agent.unmaskedSites). */
  readonly unmasked: (site: string) => boolean;
  /** Every stored key and token: masked out of every answer, whatever put them there. */
  readonly secrets: () => Promise<readonly string[]>;
  /** Masks `secrets` in a text (api/redact.ts). */
  readonly redact: (text: string, secrets: readonly string[]) => string;
  readonly openRecord: (site: string, resource: ResourceDescriptor, id: string) => Promise<void>;
  /** Opens the table; the text says what happened (the command may be missing). */
  readonly openTable: (site: string, resource: ResourceDescriptor) => Promise<LocalisableText>;
  /** Puts `fields` into the record's editor as an unsaved edit; says what changed, old → new. */
  readonly proposeChanges: (site: string, resource: ResourceDescriptor, id: string, fields: Readonly<Record<string, string | null>>) => Promise<ProposedEdit>;
  /** Shows the plan's preview and asks, as the bulk commands do; says what the user decided and what was sent. */
  readonly proposeBulk: (plan: BulkPlan, title: LocalisableText) => Promise<LocalisableText>;
  readonly render: (text: LocalisableText) => string;
  readonly now: () => Date;
}

export interface ProposedEdit {
  readonly changes: readonly { readonly field: string; readonly before: string | null; readonly after: string | null }[];
}

/** Refused: a reason the model can act on; nothing was sent. */
export class ToolRefusal extends Error {
  override readonly name = 'ToolRefusal';
  constructor(readonly text: LocalisableText) {
    super(text.template);
  }
}

/** What a tool answers: text for the model, and whether it refused (nothing was sent or proposed). */
export interface ToolAnswer {
  readonly text: string;
  readonly refused: boolean;
}

/** Runs a tool: the input checked first (nothing is sent for a bad one), the answer with no key in it. */
export async function runTool(key: ToolKey, rawInput: unknown, host: ToolHost, signal?: AbortSignal): Promise<ToolAnswer> {
  let text: string;
  let refused = false;
  try {
    text = await TOOLS[key](rawInput, host, signal);
  } catch (error) {
    refused = true;
    text = host.render(msg`Refused: ${errorMessage(error, host)}`);
  }
  return { text: host.redact(text, await host.secrets()), refused };
}

function errorMessage(error: unknown, host: ToolHost): string {
  // By name: a refusal or an API error may come from another bundle's copy of the class.
  if (error instanceof Error && (error.name === 'ToolRefusal' || error.name === 'ToolInputError')) return host.render((error as ToolRefusal).text);
  if (isApiError(error) && error.text) return host.render(error.text);
  return error instanceof Error ? error.message : String(error);
}

type Tool = (raw: unknown, host: ToolHost, signal?: AbortSignal) => Promise<string>;

const TOOLS: Readonly<Record<ToolKey, Tool>> = {
  listSites: async (raw, host) => {
    parseToolInput('listSites', raw);
    const sites = host.sites();
    if (sites.length === 0) return host.render(msg`No site is configured. The user adds one with "Directory Records: Add Site…".`);
    const lines = sites.map((site) => {
      const resources = resourcesOf(site).map((r) => `${r.model}${r.canUpdate ? '' : ' (read-only)'}`).join(', ');
      return host.render(msg`- "${site.name}" (${site.kind === 'copernica' ? 'Copernica' : 'Brilliant Directories'}; write profile ${site.writeProfile ?? 'normal'}; personal data ${host.unmasked(site.name) ? msg`shown` : msg`masked`}): ${resources}`);
    });
    return [host.render(msg`${sites.length} site(s); no request was sent.`), ...lines].join('\n');
  },

  findRecords: async (raw, host, signal) => {
    const input = parseToolInput('findRecords', raw);
    const site = siteOf(host, input.site);
    const limit = input.limit ?? 20;
    if (input.text !== undefined) {
      if (holdsMask(input.text)) throw new ToolRefusal(msg`The text holds "${MASK}", a masked value: search with what the user typed, not with a masked value.`);
      if (site.kind !== 'brilliantDirectories') throw new ToolRefusal(msg`Search by text works on Brilliant Directories sites; "${site.name}" is a Copernica account: list its ms_clicks (resource) instead.`);
      if (!isSearchable(input.text)) throw new ToolRefusal(msg`Search text needs at least 3 characters (an id: any digits).`);
      const api = await host.reads(site.name);
      const resources = input.resource ? api.resources.filter((r) => r.model === input.resource) : api.resources;
      const requests = planSearch(input.text, resources).length;
      const result = await searchRecords({ ...api, resources }, input.text, { signal });
      const unmasked = host.unmasked(site.name);
      const lines: string[] = [];
      let found = 0;
      let shownCount = 0;
      for (const group of result.groups) {
        found += group.records.length;
        for (const record of group.records) {
          if (shownCount >= limit) break;
          shownCount++;
          lines.push(recordLine(group.resource, record, unmasked));
        }
        if (group.more) lines.push(host.render(msg`(more ${group.resource.plural.toLowerCase()} match than the first ${RESULTS_PER_REQUEST} per field searched: narrow the text)`));
        if (group.error) lines.push(host.render(msg`(${group.resource.plural.toLowerCase()}: ${errorMessage(group.error, host)})`));
      }
      const head = host.render(msg`Found ${found} record(s) for "${maskText(input.text)}" on "${site.name}" with ${requests} request(s) (at most ${MAX_SEARCH_REQUESTS}); ${shownCount} shown${found > shownCount ? msg`, ${found - shownCount} left out by the limit` : ''}.${maskNote(unmasked)}`);
      return [head, ...lines].join('\n');
    }
    const resource = resourceOf(site, input.resource!);
    const filters: RecordFilter[] = (input.filters ?? []).map((f) => ({ field: f.field, operator: f.operator, value: f.value ?? '' }));
    if (filters.some((f) => holdsMask(f.value))) throw new ToolRefusal(msg`A filter value holds "${MASK}", a masked value: filter with real values.`);
    if (resource.api === 'copernica' && filters.length > 0) throw new ToolRefusal(msg`Copernica clicks cannot be filtered by field: use summarizeClicks for a range.`);
    const api = await host.reads(site.name);
    const page = await api.listPage(resource, { pageSize: limit, query: resource.api === 'copernica' ? { kind: 'copernica' } : { kind: 'bd', filters }, signal });
    const unmasked = host.unmasked(site.name);
    const records = page.records.slice(0, limit);
    const total = page.total;
    const where = filters.length > 0 ? filters.map((f) => `${f.field} ${f.operator} ${JSON.stringify(f.value)}`).join(' and ') : host.render(msg`(no filter)`);
    const left = total !== undefined ? Math.max(0, total - records.length) : undefined;
    // Copernica lists newest first with a count, then the last page (src/sites/siteApi.ts): two requests unless one page holds all.
    const requests = resource.api === 'copernica' && (total === undefined || total > limit) ? 2 : 1;
    const head = host.render(
      msg`${records.length} of ${total ?? '?'} ${resource.plural.toLowerCase()} matching ${where} on "${site.name}", newest first, ${requests} request(s)${left ? msg`; ${left} left out (raise "limit", at most 100, or narrow the filters)` : ''}.${maskNote(unmasked)}`,
    );
    return [head, ...records.map((record) => recordLine(resource, record, unmasked))].join('\n');
  },

  getRecord: async (raw, host, signal) => {
    const input = parseToolInput('getRecord', raw);
    const site = siteOf(host, input.site);
    const resource = resourceOf(site, input.resource);
    const api = await host.reads(site.name);
    const record = await api.get(resource, input.id, signal);
    const unmasked = host.unmasked(site.name);
    return [host.render(msg`${resource.singular} ${input.id} on "${site.name}":${maskNote(unmasked)}`), JSON.stringify(maskRecord(record, unmasked), null, 1)].join('\n');
  },

  summarizeClicks: async (raw, host, signal) => {
    const input = parseToolInput('summarizeClicks', raw);
    const site = siteOf(host, input.site);
    const bounds = dayBounds(input.preset ? { preset: input.preset } : { preset: 'custom', from: input.from, to: input.to }, host.now());
    if (!bounds) throw new ToolRefusal(msg`"from" and "to" must be real days, "from" not after "to".`);
    const bound = input.maxRequests ?? DEFAULT_CLICK_REQUESTS;
    const api = await host.reads(site.name);
    let over: FetchEstimate | undefined;
    let insights: ClickInsights;
    try {
      insights = await fetchClickInsights(api, site.kind === 'copernica' ? 'copernica' : 'bd', bounds, {
        signal,
        now: host.now(),
        // One window of `bound` requests: past it, fetchClickInsights asks, and the answer is no.
        rateLimit: { requests: bound, windowMs: 60_000 },
        confirm: async (estimate) => {
          over = estimate;
          return false;
        },
      });
    } catch (error) {
      if (over) {
        throw new ToolRefusal(msg`The range holds ${over.total} clicks: reading them needs ${over.requests + 1} requests, more than the bound of ${bound} ("maxRequests", at most 60). 1 request was used to count them. Ask for a shorter range, or a larger maxRequests if the user agrees.`);
      }
      throw error;
    }
    return clickSummary(host, site, bounds, insights, input.top ?? 5);
  },

  openRecord: async (raw, host) => {
    const input = parseToolInput('openRecord', raw);
    const site = siteOf(host, input.site);
    const resource = resourceOf(site, input.resource);
    await host.openRecord(site.name, resource, input.id);
    return host.render(msg`Opened ${resource.singular} ${input.id} of "${site.name}" in an editor for the user.`);
  },

  openTable: async (raw, host) => {
    const input = parseToolInput('openTable', raw);
    const site = siteOf(host, input.site);
    return host.render(await host.openTable(site.name, resourceOf(site, input.resource)));
  },

  proposeChanges: async (raw, host) => {
    const input = parseToolInput('proposeChanges', raw);
    const site = writableSite(host, input.site);
    const resource = resourceOf(site, input.resource);
    if (!resource.canUpdate) throw new ToolRefusal(msg`${resource.plural} are read-only: the API has no update for them.`);
    for (const [field, value] of Object.entries(input.fields)) {
      if (holdsMask(value)) throw new ToolRefusal(msg`The value of "${field}" holds "${MASK}": it is a masked value the model was shown, not real data. Nothing was proposed.`);
      const problem = setFieldProblem(resource, field, value ?? '', []);
      if (problem) throw new ToolRefusal(problem);
    }
    const proposed = await host.proposeChanges(site.name, resource, input.id, input.fields);
    const unmasked = host.unmasked(site.name);
    const lines = proposed.changes.map((c) => `- ${c.field}: ${show(c.field, c.before, unmasked)} → ${show(c.field, c.after, unmasked)}`);
    if (lines.length === 0) return host.render(msg`${resource.singular} ${input.id} of "${site.name}" already has these values: nothing was changed in its editor.`);
    return [host.render(msg`Proposed in the editor of ${resource.singular} ${input.id} on "${site.name}", unsaved: nothing is sent until the user reviews and saves it.`), ...lines].join('\n');
  },

  proposeBulk: async (raw, host, signal) => {
    const input = parseToolInput('proposeBulk', raw);
    const site = writableSite(host, input.site);
    const resource = resourceOf(site, input.resource);
    if (resource.api !== 'brilliantDirectories' || !resource.canUpdate) throw new ToolRefusal(msg`${resource.plural} are read-only: the API has no update for them.`);
    let fields: Readonly<Record<string, string>>;
    let title: LocalisableText;
    if (input.action === 'markViewed') {
      if (resource.model !== 'website_notifications') throw new ToolRefusal(msg`Mark as Viewed is for website_notifications.`);
      fields = viewedFields(true);
      title = msg`Mark as Viewed`;
    } else {
      const field = input.field!;
      const value = input.value!;
      if (holdsMask(value)) throw new ToolRefusal(msg`The value holds "${MASK}": it is a masked value the model was shown, not real data. Nothing was proposed.`);
      const problem = setFieldProblem(resource, field, value, []);
      if (problem) throw new ToolRefusal(problem);
      fields = { [field]: value };
      title = value === '' ? msg`Clear ${field}` : msg`Set ${field} to "${value}"`;
    }
    const api = await host.reads(site.name);
    const page = await api.listPage(resource, { pageSize: input.ids.length, query: { kind: 'bd', filters: [batchFilter(resource, input.ids)] }, signal });
    const missing = input.ids.filter((id) => !page.records.some((r) => r[resource.primaryKey] === id));
    if (page.records.length === 0) throw new ToolRefusal(msg`None of these ${resource.plural.toLowerCase()} exists on "${site.name}".`);
    const plan = planBulk(site.name, resource, { kind: 'setFields', fields }, page.records, 'selection');
    const leftOut = missing.length > 0 ? host.render(msg`Not found (left out): ${missing.join(', ')}.`) : '';
    if (pendingEntries(plan).length === 0) return [host.render(msg`All ${plan.entries.length} ${resource.plural.toLowerCase()} already have it: nothing to propose, nothing was sent.`), leftOut].filter(Boolean).join('\n');
    const outcome = await host.proposeBulk(plan, title);
    return [host.render(outcome), leftOut].filter(Boolean).join('\n');
  },
};

function siteOf(host: ToolHost, name: string): SiteConfig {
  const site = host.sites().find((s) => s.name === name);
  if (!site) throw new ToolRefusal(msg`There is no site named "${name}". Sites: ${host.sites().map((s) => `"${s.name}"`).join(', ') || msg`none`}.`);
  return site;
}

/** A site a proposing tool may work on: not Read-only, checked here whatever the caller checked. */
function writableSite(host: ToolHost, name: string): SiteConfig {
  const site = siteOf(host, name);
  if ((site.writeProfile ?? 'normal') === 'readOnly') throw new ToolRefusal(msg`"${site.name}" is Read-only (its write profile): nothing can be proposed for it, and nothing was sent.`);
  return site;
}

function resourcesOf(site: SiteConfig): ResourceDescriptor[] {
  return ['contacts', 'website_notifications', 'users_clicks', 'ms_clicks'].map((m) => resourceFor(m)!).filter((r) => r.api === site.kind);
}

function resourceOf(site: SiteConfig, model: string): ResourceDescriptor {
  const resource = resourcesOf(site).find((r) => r.model === model);
  if (!resource) throw new ToolRefusal(msg`"${site.name}" has no ${model}; it has ${resourcesOf(site).map((r) => r.model).join(', ')}.`);
  return resource;
}

/** One record on one line: its id and its non-empty fields, masked. */
export function recordLine(resource: ResourceDescriptor, record: ApiRecord, unmasked: boolean): string {
  const shown = maskRecord(record, unmasked);
  const fields = Object.entries(shown).filter(([name, value]) => value !== null && value !== '' && name !== resource.primaryKey && isFieldName(name));
  return `- ${resource.model} ${record[resource.primaryKey] ?? '?'}: ${JSON.stringify(Object.fromEntries(fields))}`;
}

function show(field: string, value: string | null, unmasked: boolean): string {
  const shown = maskRecord({ [field]: value }, unmasked)[field] ?? null;
  return shown === null ? '(empty)' : JSON.stringify(shown);
}

function maskNote(unmasked: boolean): LocalisableText | string {
  return unmasked ? '' : msg` Personal data (emails, phones, IPs, tokens) is masked with ${MASK}; a masked value cannot be written back.`;
}

/** The Click Insights aggregates as text: totals, the days, the top of each ranking and how many were left out. */
export function clickSummary(host: Pick<ToolHost, 'render' | 'unmasked'>, site: SiteConfig, bounds: DayBounds, insights: ClickInsights, top: number): string {
  const range = `${bounds.start ?? '…'} – ${bounds.end ?? '…'}`;
  const unmasked = host.unmasked(site.name);
  const ranking = (name: string, counts: readonly RankedCount[]): string => {
    const shown = counts.slice(0, top).map((c) => `${c.key === '' ? '(none)' : unmasked ? c.key : maskText(c.key)}: ${c.total} (${c.unique} unique)`);
    const left = counts.length - shown.length;
    return `${name}: ${shown.join('; ') || '(none)'}${left > 0 ? host.render(msg`; ${left} more left out`) : ''}`;
  };
  const lines: string[] = [];
  if (insights.kind === 'bd') {
    lines.push(host.render(msg`Clicks on "${site.name}" from ${range} (UTC days, end excluded): ${insights.total} in all, ${insights.uniqueVisitors} unique visitors, ${insights.undated} undated.`));
    lines.push(ranking(host.render(msg`Members (user_id)`), insights.members), ranking(host.render(msg`Click types`), insights.types), ranking(host.render(msg`Pages (click_from)`), insights.froms));
  } else {
    lines.push(host.render(msg`Clicks on "${site.name}" from ${range} (UTC days, end excluded): ${insights.total} in all, ${insights.unique} unique, ${insights.undated} undated.`));
    lines.push(ranking(host.render(msg`Links`), insights.links), ranking(host.render(msg`Mailings`), insights.mailings));
  }
  const busy = insights.days.filter((d) => d.total > 0);
  lines.push(host.render(msg`Per ${insights.unit}: ${busy.map((d) => `${d.day} ${d.total}`).join(', ') || '(none)'}`));
  return lines.join('\n');
}

/** Whether a tool proposes changes (refused over MCP unless allowed). */
export function isProposing(key: ToolKey): boolean {
  return PROPOSING_TOOLS.has(key);
}
