import type { ModelName } from '../api/resources';
import type { ApiRecord } from '../api/schemas';

/** The kinds of thing the Sites view shows; the provider maps each to a TreeItem. */
export type TreeNode = SiteNode | ResourceNode | PageNode | RecordNode | LoadMoreNode | MessageNode;

export interface SiteNode {
  readonly type: 'site';
  readonly site: string;
}

export interface ResourceNode {
  readonly type: 'resource';
  readonly site: string;
  readonly model: ModelName;
}

/**
 * Once Load more has added a page, a resource's rows come in groups of a page each: VS Code
 * builds anew every child of a node that changed, so one flat list would cost it every row shown
 * on each Load more. The newest group is open; a group that stops being the newest gets another id
 * and so shows folded, unless the user opens it again.
 */
export interface PageNode {
  readonly type: 'page';
  readonly site: string;
  readonly model: ModelName;
  /** Which group: rows index × page size + 1 onwards. */
  readonly index: number;
  readonly latest: boolean;
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

/**
 * An error, an empty result, a cancelled load, or a missing or refused key: always a node,
 * never a modal. `warning` is a refusal the site's admin can lift (an endpoint not enabled for
 * the key); `cancelled` a first page the user stopped loading.
 */
export interface MessageNode {
  readonly type: 'message';
  readonly id: string;
  readonly severity: 'error' | 'warning' | 'info' | 'cancelled' | 'needsKey';
  /** The label: short. */
  readonly text: string;
  /** Shown dimmed beside the label (where to fix it, what clicking does). */
  readonly description?: string;
  /** The whole story, for the tooltip and screen readers. */
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
    case 'page':
      return `site/${node.site}/${node.model}/~rows/${node.index}${node.latest ? '/latest' : ''}`;
    case 'record':
      return `site/${node.site}/${node.model}/${node.id}`;
    case 'loadMore':
      return `site/${node.site}/${node.model}/~more`;
    case 'message':
      return node.id;
  }
}
