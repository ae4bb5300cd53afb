import type { ModelName } from '../api/resources';
import type { ApiRecord } from '../api/schemas';

/** The kinds of thing the Sites view shows; the provider maps each to a TreeItem. */
export type TreeNode = SiteNode | ResourceNode | RecordNode | LoadMoreNode | MessageNode;

export interface SiteNode {
  readonly type: 'site';
  readonly site: string;
}

export interface ResourceNode {
  readonly type: 'resource';
  readonly site: string;
  readonly model: ModelName;
}

export interface RecordNode {
  readonly type: 'record';
  readonly site: string;
  readonly model: ModelName;
  readonly id: string;
  readonly record: ApiRecord;
}

export interface LoadMoreNode {
  readonly type: 'loadMore';
  readonly site: string;
  readonly model: ModelName;
}

/** An error, an empty result, or a missing key: always a node, never a modal. */
export interface MessageNode {
  readonly type: 'message';
  readonly id: string;
  readonly severity: 'error' | 'info' | 'needsKey';
  readonly text: string;
  readonly detail?: string;
  /** Where Retry or Set API Key acts. */
  readonly parent?: SiteNode | ResourceNode;
}

export function treeId(node: TreeNode): string {
  switch (node.type) {
    case 'site':
      return `site/${node.site}`;
    case 'resource':
      return `site/${node.site}/${node.model}`;
    case 'record':
      return `site/${node.site}/${node.model}/${node.id}`;
    case 'loadMore':
      return `site/${node.site}/${node.model}/~more`;
    case 'message':
      return node.id;
  }
}
