import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { SandboxControl, type SandboxInfo } from '../../../sandbox/control';
import type { DirectoryRecordsExports } from '../../../src/extension';
import type { RecordNode, ResourceNode, TreeNode } from '../../../src/tree/treeNodes';

export const EXTENSION_ID = 'directory-records.directory-records';

/** The sandbox the harness started for this run (scripts/run-integration.mjs passes it in). */
export function sandboxInfo(): SandboxInfo {
  const raw = process.env['DIRECTORY_RECORDS_SANDBOX'];
  assert.ok(raw, 'DIRECTORY_RECORDS_SANDBOX is not set: run these tests through npm run test:integration');
  return JSON.parse(raw) as SandboxInfo;
}

export function control(): SandboxControl {
  return new SandboxControl(sandboxInfo().url);
}

export async function extensionExports(): Promise<DirectoryRecordsExports> {
  const extension = vscode.extensions.getExtension<DirectoryRecordsExports>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed`);
  return extension.activate();
}

export interface TestSite {
  readonly name: string;
  readonly kind: 'brilliantDirectories' | 'copernica';
  readonly url?: string;
  readonly key?: string;
}

/** Writes directoryRecords.sites and stores each site's key through the real Set API Key command. */
export async function useSites(sites: readonly TestSite[]): Promise<void> {
  await extensionExports();
  const config = vscode.workspace.getConfiguration('directoryRecords');
  await config.update('sites', sites.map(({ key: _key, ...site }) => site), vscode.ConfigurationTarget.Global);
  for (const site of sites) {
    if (site.key) await vscode.commands.executeCommand('directoryRecords.setApiKey', site.name, site.key, { saveAnyway: true });
  }
}

export async function clearSites(): Promise<void> {
  const config = vscode.workspace.getConfiguration('directoryRecords');
  for (const site of config.get<{ name: string }[]>('sites', [])) {
    await vscode.commands.executeCommand('directoryRecords.removeSite', site.name, { confirmed: true });
  }
  await config.update('sites', undefined, vscode.ConfigurationTarget.Global);
  await config.update('pageSize', undefined, vscode.ConfigurationTarget.Global);
}

/** A node's children as one list: the rows of page groups (after Load more) in place of the groups. */
export async function children(node?: TreeNode): Promise<TreeNode[]> {
  const listed = await treeChildren(node);
  const rows: TreeNode[] = [];
  for (const child of listed) rows.push(...(child.type === 'page' ? await treeChildren(child) : [child]));
  return rows;
}

/** A node's children as VS Code gets them (page groups as groups). */
export async function treeChildren(node?: TreeNode): Promise<TreeNode[]> {
  const { tree } = await extensionExports();
  return (await tree.getChildren(node)) ?? [];
}

export async function item(node: TreeNode): Promise<vscode.TreeItem> {
  const { tree } = await extensionExports();
  return tree.getTreeItem(node);
}

export function labelOf(treeItem: vscode.TreeItem): string {
  const label = treeItem.label;
  return typeof label === 'string' ? label : label?.label ?? '';
}

/** The child whose label is `label` (exactly, or matching a RegExp). */
export async function child(node: TreeNode | undefined, label: string | RegExp): Promise<TreeNode> {
  const nodes = await children(node);
  for (const candidate of nodes) {
    const text = labelOf(await item(candidate));
    if (typeof label === 'string' ? text === label : label.test(text)) return candidate;
  }
  const labels = await Promise.all(nodes.map(async (n) => labelOf(await item(n))));
  throw new assert.AssertionError({ message: `no child labelled ${String(label)}; children: ${JSON.stringify(labels)}` });
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** API requests the sandbox received (control requests are not recorded). */
export async function apiRequests(): Promise<Awaited<ReturnType<SandboxControl['requests']>>> {
  return control().requests();
}

/** Reverts unsaved record documents (so no save prompt can block), then closes every editor. */
export async function closeAllEditors(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty)) {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** A site's resource row, by its label ("Contacts"). */
export async function resource(site: string, label: string): Promise<ResourceNode> {
  return (await child(await child(undefined, site), label)) as ResourceNode;
}

/** The record rows under a resource (no messages, no Load more). */
export async function records(node: ResourceNode): Promise<RecordNode[]> {
  return (await children(node)).filter((n: TreeNode): n is RecordNode => n.type === 'record');
}

export async function descriptionOf(node: TreeNode): Promise<string> {
  return String((await item(node)).description ?? '');
}

export async function tooltipOf(node: TreeNode): Promise<string> {
  const tooltip = (await item(node)).tooltip;
  return typeof tooltip === 'string' ? tooltip : tooltip?.value ?? '';
}

/** Waits until the sandbox has had no request for `quietMs`: a stored key's change event arrives late and refreshes everything. */
export async function settle(quietMs = 600): Promise<void> {
  let seen = -1;
  for (;;) {
    const now = (await apiRequests()).length;
    if (now === seen) return;
    seen = now;
    await new Promise((r) => setTimeout(r, quietMs));
  }
}

/** Opens a record document in an editor, as clicking its row does. */
export async function openRecord(site: string, model: string, id: string | number): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'directory-records', path: `/${site}/${model}/${id}.json` }));
  await vscode.window.showTextDocument(doc);
  return doc;
}

/**
 * Sets fields as a person typing would, leaving the document dirty. VS Code may be loading the
 * server's version into the editor right after a save; an edit that raced it is refused, and
 * typed again on the new text.
 */
export async function editFields(doc: vscode.TextDocument, fields: Record<string, unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const text = `${JSON.stringify({ ...JSON.parse(doc.getText()), ...fields }, null, 2)}\n`;
    const change = new vscode.WorkspaceEdit();
    change.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
    if (await vscode.workspace.applyEdit(change)) {
      assert.ok(doc.isDirty);
      return;
    }
    assert.ok(attempt < 5, 'the edit kept racing the editor');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A site on the harness's sandbox, with its key (or token) unless `key` is false. */
export function sandboxSite(name: string, kind: TestSite['kind'], options: { readonly key?: boolean } = {}): TestSite {
  const sb = sandboxInfo();
  if (options.key === false) return { name, kind, url: sb.url };
  return { name, kind, url: sb.url, key: kind === 'copernica' ? sb.copernicaToken : sb.bdKey };
}

/** The sandbox back to its seed data, then these sites configured with their keys. */
export async function useFreshSandbox(sites: readonly TestSite[]): Promise<void> {
  await control().reset();
  await useSites(sites);
}
