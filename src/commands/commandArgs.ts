import * as vscode from 'vscode';
import { ALL_RESOURCES, resourceFor, type ModelName } from '../api/resources';
import type { SiteNode, TreeNode } from '../tree/treeNodes';

/**
 * What a command was given, as every handler reads it. VS Code hands a command whatever the
 * place it was run from passes: nothing (the palette), the focused row (a view's title bar),
 * the row and the selection (a tree's inline or context menu), a document's URI and more (an
 * editor's title); any extension or command link can pass anything at all. A command reads
 * only what it can be sure of, and never lets an argument skip a question.
 */
export interface CommandArgs {
  /** The tree row it was run on (a well-formed row of the Sites view). */
  readonly node?: TreeNode;
  /** Several rows selected, the clicked one among them: the whole selection. */
  readonly selection?: readonly TreeNode[];
  /** The document it was run on (an editor's title, its context menu). */
  readonly uri?: vscode.Uri;
  /**
   * The argument after the row when it is a listing filter (`{ kind: 'bd' | 'copernica', … }`):
   * Filter… applies it, checked against the resource, instead of asking. Click Insights opens a
   * day or a member this way. It changes only what the tree lists, never a site, so any caller
   * may give it.
   */
  readonly listing?: unknown;
  /**
   * A resource named by a plain `{ site, resource }` object, with no id (the agent's tools call Open as
   * Table so), `resource` a model name ("contacts") or its plural ("Contacts"). Only the
   * commands that say so read it.
   */
  readonly resource?: { readonly site: string; readonly model: ModelName };
  /**
   * A record named plainly, `{ site, resource, id }` (resource: a model name such as "contacts"),
   * as the table passes it to Show Save History. Only read by commands that show something.
   */
  readonly record?: { readonly site: string; readonly model: ModelName; readonly id: string };
  /**
   * Under the test harness only (ExtensionMode.Test): the arguments after the target, the
   * programmatic answers the in-host tests give instead of prompts (each handler checks their
   * shape). Always empty in a normal install, so nothing a caller passes can answer a question.
   */
  readonly given: readonly unknown[];
}

const NODE_TYPES: ReadonlySet<string> = new Set(['site', 'resource', 'record', 'loadMore', 'message']);

/**
 * The one parser of command arguments: a tree row (and the selection after it), a URI, or
 * nothing; anything else is nothing. `mode` is the extension's: only ExtensionMode.Test keeps
 * the tests' programmatic arguments (`given`), and reads a leading string as a site's name.
 */
export function parseCommandArgs(args: readonly unknown[], mode: vscode.ExtensionMode): CommandArgs {
  const test = mode === vscode.ExtensionMode.Test;
  const [first, second] = args;
  const node = treeNode(first) ?? (test && typeof first === 'string' ? ({ type: 'site', site: first } satisfies SiteNode) : undefined);
  const uri = first instanceof vscode.Uri ? first : undefined;
  const record = node || uri ? undefined : plainRecord(first);
  // The target's place is taken even when empty (a test's `(undefined, nodes, options)`).
  let used = node || uri || record || (first === undefined && args.length > 1) ? 1 : 0;
  let selection: TreeNode[] | undefined;
  if (used === 1 && !uri && (Array.isArray(second) || (second === undefined && args.length > 2))) {
    const nodes = Array.isArray(second) ? second.map(treeNode) : [];
    // VS Code passes the selection only when it holds the clicked row and another.
    if (nodes.length > 0 && nodes.every((n) => n !== undefined)) selection = nodes as TreeNode[];
    used = 2;
  }
  const listing = node && isObject(second) && (second['kind'] === 'bd' || second['kind'] === 'copernica') ? second : undefined;
  const resource = !node && !record && isObject(first) && typeof first['site'] === 'string' && typeof first['resource'] === 'string' ? namedResource(first['site'], first['resource']) : undefined;
  if (resource && used === 0) used = 1;
  return {
    ...(node ? { node } : {}),
    ...(resource ? { resource } : {}),
    ...(selection ? { selection } : {}),
    ...(uri ? { uri } : {}),
    ...(listing ? { listing } : {}),
    ...(record ? { record } : {}),
    given: test ? args.slice(used) : [],
  };
}

/** A row of the Sites view, when `value` has a row's shape (a site name, a known resource). */
export function treeNode(value: unknown): TreeNode | undefined {
  if (!isObject(value) || typeof value['type'] !== 'string' || !NODE_TYPES.has(value['type'])) return undefined;
  if (value['type'] === 'message') return typeof value['id'] === 'string' && typeof value['text'] === 'string' ? (value as unknown as TreeNode) : undefined;
  if (typeof value['site'] !== 'string') return undefined;
  if (value['type'] === 'site') return value as unknown as TreeNode;
  if (typeof value['model'] !== 'string' || !resourceFor(value['model'])) return undefined;
  if (value['type'] !== 'record') return value as unknown as TreeNode;
  return typeof value['id'] === 'string' && isObject(value['record']) ? (value as unknown as TreeNode) : undefined;
}

function namedResource(site: string, name: string): { site: string; model: ModelName } | undefined {
  const lower = name.toLowerCase();
  const resource = resourceFor(name) ?? ALL_RESOURCES.find((r) => r.plural.toLowerCase() === lower);
  return resource ? { site, model: resource.model } : undefined;
}

/** `{ site, resource, id }` with a known resource's model name, else undefined. */
function plainRecord(value: unknown): CommandArgs['record'] {
  if (!isObject(value) || typeof value['site'] !== 'string' || typeof value['resource'] !== 'string' || typeof value['id'] !== 'string') return undefined;
  const resource = resourceFor(value['resource']);
  return resource && value['site'] !== '' && value['id'] !== '' ? { site: value['site'], model: resource.model, id: value['id'] } : undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The given argument at `index` when it is a string. */
export function givenString(args: CommandArgs, index: number): string | undefined {
  const value = args.given[index];
  return typeof value === 'string' ? value : undefined;
}

/** The given argument at `index` when it is an object (its fields still to be checked by the handler). */
export function givenObject(args: CommandArgs, index: number): Record<string, unknown> | undefined {
  const value = args.given[index];
  return isObject(value) ? value : undefined;
}
