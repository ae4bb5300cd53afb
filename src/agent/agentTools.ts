import * as vscode from 'vscode';
import type { ResourceDescriptor } from '../api/resources';
import { redactSecrets } from '../api/redact';
import type { ApiRecord } from '../api/schemas';
import { recordText } from '../api/recordText';
import { msg, renderText, type LocalisableText } from '../api/text';
import { recordUri } from '../documents/recordUri';
import { showRecord } from '../documents/showRecord';
import type { AgentDeps } from './agentRegistration';
import { MAX_SEARCH_REQUESTS } from '../sites/recordSearch';
import { runTool, ToolRefusal, type ProposedEdit, type ToolHost } from './toolCore';
import type { ToolKey } from './toolNames';
import { DEFAULT_CLICK_REQUESTS } from './toolInput';

/** The command another part of the extension (the table, issue 20) registers; absent, openTable says so. */
const OPEN_TABLE_COMMAND = 'directoryRecords.openTable';

/** The tools' host in the extension: the site's paced client, the documents, the bulk preview. */
export function createToolHost(deps: AgentDeps): ToolHost {
  const { connections } = deps;
  const render = (text: LocalisableText): string => renderText(text, (template, args) => vscode.l10n.t(template, ...args));
  return {
    sites: () => connections.settings.sites,
    reads: (site) => connections.require(site),
    unmasked: (site) => unmaskedSites().includes(site),
    secrets: async () => {
      const stored = await Promise.all(connections.settings.sites.map((site) => connections.secrets.get(site.name).catch(() => undefined)));
      return stored.flatMap((s) => (s ? [s.key] : []));
    },
    redact: (text, secrets) => redactSecrets(text, secrets),
    openRecord: async (site, resource, id) => {
      await showRecord(recordUri(site, resource.model, id), false);
    },
    openTable: async (site, resource) => {
      if (!(await vscode.commands.getCommands(true)).includes(OPEN_TABLE_COMMAND)) {
        return msg`The table view is not available in this version of Directory Records: nothing was opened. Open the record with openRecord instead, or ask the user to open the ${resource.plural} of "${site}" in the Sites view.`;
      }
      await vscode.commands.executeCommand(OPEN_TABLE_COMMAND, { site, resource: resource.model });
      return msg`Opened the ${resource.plural} of "${site}" in a table for the user.`;
    },
    proposeChanges: (site, resource, id, fields) => proposeInEditor(site, resource, id, fields),
    proposeBulk: async (plan, title) => {
      const titleText = render(title);
      const result = await deps.proposeBulk(plan, titleText);
      if (!result) return msg`${titleText} on ${plan.entries.length} ${plan.resource.plural.toLowerCase()} of "${plan.site}": shown to the user in a preview; they did not confirm it, so nothing was sent.`;
      const c = result.counts;
      return msg`${titleText} on ${plan.entries.length} ${plan.resource.plural.toLowerCase()} of "${plan.site}": the user reviewed the preview and confirmed. ${c.done} done, ${c.unchanged} unchanged, ${c.skipped} skipped (changed on the server meanwhile), ${c.failed + c.unknown + c.notRun} failed or not run.`;
    },
    render,
    now: () => new Date(),
  };
}

function unmaskedSites(): readonly string[] {
  const value = vscode.workspace.getConfiguration('directoryRecords.agent').get<unknown>('unmaskedSites', []);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * The change goes into the record's editor as an unsaved edit, on top of whatever the user has
 * typed there: the save (the user's) sends it through the record service like any other save.
 */
async function proposeInEditor(site: string, resource: ResourceDescriptor, id: string, fields: Readonly<Record<string, string | null>>): Promise<ProposedEdit> {
  const uri = recordUri(site, resource.model, id);
  const doc = await showRecord(uri, false);
  let current: ApiRecord;
  try {
    current = JSON.parse(doc.getText()) as ApiRecord;
  } catch {
    throw new ToolRefusal(msg`The editor of ${resource.singular} ${id} holds text that is not valid JSON (the user is editing it): nothing was proposed.`);
  }
  const known = new Set([...Object.keys(current), ...resource.fields.filter((f) => !f.filterOnly).map((f) => f.name)]);
  const unknown = Object.keys(fields).filter((field) => !known.has(field));
  if (unknown.length > 0) throw new ToolRefusal(msg`${resource.singular} ${id} has no field ${unknown.join(', ')}: nothing was proposed.`);
  const changes: ProposedEdit['changes'][number][] = [];
  const next: Record<string, string | null> = { ...current };
  for (const [field, value] of Object.entries(fields)) {
    // Clearing is an empty value in the editor, as a person clears a field.
    const after = value ?? '';
    const before = current[field] ?? null;
    if ((before ?? '') === after) continue;
    changes.push({ field, before, after: value });
    next[field] = after;
  }
  if (changes.length === 0) return { changes };
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), recordText(next));
  if (!(await vscode.workspace.applyEdit(edit))) throw new ToolRefusal(msg`The editor of ${resource.singular} ${id} did not take the change (it was changing meanwhile): nothing was proposed. Try again.`);
  return { changes };
}

export async function invokeAgentTool(deps: AgentDeps, key: ToolKey, input: unknown, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
  const abort = new AbortController();
  const cancelled = token.onCancellationRequested(() => abort.abort());
  try {
    const { text } = await runTool(key, input, createToolHost(deps), abort.signal);
    return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
  } finally {
    cancelled.dispose();
  }
}

/** What the user sees before a tool runs: what it will read (and how many requests), or what it will put before them. */
export function prepareAgentTool(key: ToolKey, input: unknown): vscode.PreparedToolInvocation {
  const given = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const site = typeof given['site'] === 'string' ? given['site'] : '?';
  switch (key) {
    case 'listSites':
      return { invocationMessage: vscode.l10n.t('Listing the Directory Records sites (no request)') };
    case 'findRecords':
      return {
        invocationMessage:
          given['text'] !== undefined
            ? vscode.l10n.t('Searching "{0}" (at most {1} requests)', site, MAX_SEARCH_REQUESTS)
            : vscode.l10n.t('Listing {0} of "{1}" (1 request, 2 on Copernica)', String(given['resource'] ?? '?'), site),
      };
    case 'getRecord':
      return { invocationMessage: vscode.l10n.t('Reading {0} {1} of "{2}"', String(given['resource'] ?? '?'), String(given['id'] ?? '?'), site) };
    case 'summarizeClicks':
      return { invocationMessage: vscode.l10n.t('Summarising the clicks of "{0}" (at most {1} requests)', site, typeof given['maxRequests'] === 'number' ? given['maxRequests'] : DEFAULT_CLICK_REQUESTS) };
    case 'openRecord':
    case 'openTable':
      return { invocationMessage: vscode.l10n.t('Opening {0} of "{1}" for you', String(given['resource'] ?? '?'), site) };
    case 'proposeChanges':
      return {
        invocationMessage: vscode.l10n.t('Proposing changes to {0} {1} of "{2}"', String(given['resource'] ?? '?'), String(given['id'] ?? '?'), site),
        confirmationMessages: {
          title: vscode.l10n.t('Propose changes in an editor?'),
          message: vscode.l10n.t('The change to {0} {1} of "{2}" is put into its editor, unsaved. Nothing is sent until you review and save it.', String(given['resource'] ?? '?'), String(given['id'] ?? '?'), site),
        },
      };
    case 'proposeBulk':
      return {
        invocationMessage: vscode.l10n.t('Preparing a bulk preview for "{0}"', site),
        confirmationMessages: {
          title: vscode.l10n.t('Open a bulk preview?'),
          message: vscode.l10n.t('The records are read once and their preview opened on "{0}". Nothing is sent unless you confirm the preview\'s own dialog.', site),
        },
      };
  }
}
