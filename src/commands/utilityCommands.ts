import * as vscode from 'vscode';
import { resourceFor } from '../api/resources';
import type { ApiRecord } from '../api/schemas';
import { parseRecordUri, type SavedRecordAddress } from '../documents/recordUri';
import type { ArgsHandler, CommandContext } from './commandContext';
import type { CommandArgs } from './commandArgs';
import { COMMANDS } from '../commandIds';

type UtilityCommand = 'copyId' | 'copyEmail' | 'showLog';

/** How long "Copied …" stays in the status bar. */
const COPIED_MS = 3000;

export function utilityCommands(ctx: CommandContext): Record<(typeof COMMANDS)[UtilityCommand], ArgsHandler> {

  /**
   * The record a copy acts on: a tree node, a document URI, the active record editor, or the
   * selected tree row. Its fields are the editor's text as it stands (else what was read).
   */
  function target({ node, uri: given }: CommandArgs): { address: SavedRecordAddress; record: () => ApiRecord | undefined } | undefined {
    const uri = given ?? (node ? undefined : vscode.window.activeTextEditor?.document.uri);
    const address = uri && parseRecordUri(uri);
    if (uri && address?.kind === 'saved') {
      return { address, record: () => documentFields(uri) ?? ctx.store.baseOf(uri) };
    }
    const selected = node ?? ctx.treeView.selection[0];
    if (selected?.type !== 'record') return undefined;
    const resource = resourceFor(selected.model);
    return resource && { address: { kind: 'saved', site: selected.site, model: selected.model, resource, id: selected.id }, record: () => selected.record };
  }

  async function copy(value: string, what: string): Promise<string> {
    await vscode.env.clipboard.writeText(value);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}: {1}', what, value), COPIED_MS);
    return value;
  }

  return {
    [COMMANDS.copyId]: async (args: CommandArgs) => {
      const found = target(args);
      if (!found) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Select a record in the Sites view, or open one, to copy its ID.'));
        return undefined;
      }
      return copy(found.address.id, found.address.resource.primaryKey);
    },

    [COMMANDS.copyEmail]: async (args: CommandArgs) => {
      const found = target(args);
      if (!found || found.address.model !== 'contacts') {
        void vscode.window.showInformationMessage(vscode.l10n.t('Select a contact in the Sites view, or open one, to copy its email.'));
        return undefined;
      }
      const email = (found.record()?.['email'] ?? '').trim();
      if (!email) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Contact {0} has no email address.', found.address.id));
        return undefined;
      }
      return copy(email, 'email');
    },

    [COMMANDS.showLog]: () => {
      ctx.log.show(true);
    },
  };
}

/** The fields of an open record document, as typed; undefined when it is not open or not valid JSON. */
function documentFields(uri: vscode.Uri): ApiRecord | undefined {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (!doc) return undefined;
  try {
    const value: unknown = JSON.parse(doc.getText());
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return Object.fromEntries(Object.entries(value).map(([name, v]) => [name, typeof v === 'string' ? v : v === null ? null : String(v)]));
  } catch {
    return undefined;
  }
}
