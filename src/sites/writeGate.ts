import * as vscode from 'vscode';
import type { UpdateResult } from '../api/bdClient';
import { computeChanges, hasChanges } from '../api/recordChanges';
import type { ResourceDescriptor } from '../api/resources';
import type { ApiRecord } from '../api/schemas';
import type { SiteApi, SiteWrites, WriteOptions } from './siteApi';
import { profileOf, type SiteConfig } from './siteConfig';

/** One write, described the way the confirm prompt shows it. */
export type WriteAction =
  | { readonly kind: 'update'; readonly resource: ResourceDescriptor; readonly id: string; readonly changes: readonly FieldChange[] }
  | { readonly kind: 'create'; readonly resource: ResourceDescriptor; readonly fields: Readonly<Record<string, string>> }
  | { readonly kind: 'delete'; readonly resource: ResourceDescriptor; readonly id: string };

export interface FieldChange {
  readonly field: string;
  readonly before: string | null;
  /** null: the field is cleared. */
  readonly after: string | null;
}

/** Asks the user to confirm a write to a `confirm` site; true sends it. */
export type ConfirmWrite = (site: SiteConfig, action: WriteAction) => Promise<boolean>;

export type WriteRefusal = 'readOnly' | 'cancelled' | 'changed';

/** A write the site's profile did not let through; nothing was sent. */
export class WriteRefusedError extends Error {
  override readonly name = 'WriteRefusedError';
  constructor(
    readonly reason: WriteRefusal,
    message: string,
  ) {
    super(message);
  }
}

export function isWriteRefused(error: unknown, reason?: WriteRefusal): error is WriteRefusedError {
  // By name, not instanceof: features are bundled apart (esbuild.mjs), each with its own copy of this class.
  if (!(error instanceof Error) || error.name !== 'WriteRefusedError') return false;
  return reason === undefined || (error as WriteRefusedError).reason === reason;
}

/**
 * Every write to a site passes through here: a site's writes are handed out (to the record
 * service, nobody else) only wrapped in this, so every kind of write inherits the site's write profile. The
 * profile is read at the moment of the write, so a site made read-only refuses an edit begun
 * before.
 */
export function guardWrites(api: SiteApi, currentSite: () => SiteConfig | undefined, confirm: ConfirmWrite): SiteWrites {
  async function allow(action: WriteAction, recheck?: () => Promise<void>, options?: WriteOptions): Promise<void> {
    const site = currentSite();
    if (!site) throw new WriteRefusedError('readOnly', vscode.l10n.t('The site is not configured any more. Nothing was sent.'));
    refuseIfReadOnly(site);
    // A bulk job's writes were confirmed from its preview, which listed each one (and re-reads each record itself).
    if (profileOf(site) !== 'confirm' || options?.confirmed) return;
    if (!(await confirm(site, action))) throw new WriteRefusedError('cancelled', vscode.l10n.t('Not sent: cancelled.'));
    await recheck?.();
  }

  return {
    async update(resource: ResourceDescriptor, original: ApiRecord, edited: Readonly<Record<string, unknown>>, signal?: AbortSignal, options?: WriteOptions): Promise<UpdateResult> {
      const changes = computeChanges(resource, original, edited);
      if (!hasChanges(changes)) return api.update(resource, original, edited, signal, options);
      const id = original[resource.primaryKey] ?? '';
      const lines: FieldChange[] = [
        ...Object.entries(changes.set).map(([field, after]) => ({ field, before: original[field] ?? null, after })),
        ...changes.clear.map((field) => ({ field, before: original[field] ?? null, after: null })),
      ];
      // After OK the record is read again: what was confirmed must still be what gets changed.
      await allow({ kind: 'update', resource, id, changes: lines }, async () => {
        const now = await api.get(resource, id, signal);
        if (!sameRecord(now, original)) throw changedMeanwhile(resource, id);
      }, options);
      return api.update(resource, original, edited, signal, options);
    },

    async create(resource: ResourceDescriptor, fields: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<ApiRecord> {
      await allow({ kind: 'create', resource, fields });
      return api.create(resource, fields, signal);
    },

    async delete(resource: ResourceDescriptor, id: string, signal?: AbortSignal, options?: WriteOptions): Promise<void> {
      await allow({ kind: 'delete', resource, id }, async () => {
        await api.get(resource, id, signal);
      }, options);
      return api.delete(resource, id, signal, options);
    },
  };
}

/** Throws the read-only refusal for a read-only site; commands call it early, the gate on every write. */
export function refuseIfReadOnly(site: SiteConfig): void {
  if (profileOf(site) === 'readOnly') {
    throw new WriteRefusedError('readOnly', vscode.l10n.t('"{0}" is Read-only (its write profile), so nothing was sent. To write to it, change its profile with "Edit Site…".', site.name));
  }
}

function sameRecord(a: ApiRecord, b: ApiRecord): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if ((a[key] ?? null) !== (b[key] ?? null)) return false;
  return true;
}

function changedMeanwhile(resource: ResourceDescriptor, id: string): WriteRefusedError {
  return new WriteRefusedError('changed', vscode.l10n.t('{0} {1} changed on the server while you were confirming, so nothing was sent. Compare with the server, then save again.', resource.singular, id));
}

/** The confirm prompt: a modal naming the site and exactly what will be sent. */
export async function confirmWithModal(site: SiteConfig, action: WriteAction): Promise<boolean> {
  const send = vscode.l10n.t('Send');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Send this to "{0}"?', site.name),
    { modal: true, detail: describeWrite(action) },
    send,
  );
  return answer === send;
}

/** What a write will send, one field a line. */
export function describeWrite(action: WriteAction): string {
  const quote = (value: string | null): string => (value === null ? vscode.l10n.t('(empty)') : JSON.stringify(value));
  switch (action.kind) {
    case 'update':
      return [
        vscode.l10n.t('Change {0} {1}:', action.resource.singular, action.id),
        ...action.changes.map((c) => `  ${c.field}: ${quote(c.before)} → ${c.after === null ? vscode.l10n.t('(cleared)') : quote(c.after)}`),
      ].join('\n');
    case 'create':
      return [vscode.l10n.t('Create a {0} with:', action.resource.singular), ...Object.entries(action.fields).map(([field, value]) => `  ${field}: ${quote(value)}`)].join('\n');
    case 'delete':
      return vscode.l10n.t('Delete {0} {1}.', action.resource.singular, action.id);
  }
}
