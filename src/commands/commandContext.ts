import type * as vscode from 'vscode';
import type { BulkJobs } from '../bulk/bulkJobs';
import type { RecordService } from '../records/recordService';
import type { InsightsRegistration } from '../insights/insightsRegistration';
import type { RecordStore } from '../documents/recordStore';
import type { SiteConnections } from '../sites/siteConnections';
import type { RecordsTreeModel } from '../tree/recordsTreeModel';
import type { RecordsTreeProvider } from '../tree/recordsTreeProvider';
import type { TableRegistration } from '../table/tableRegistration';
import type { TreeNode } from '../tree/treeNodes';
import type { CommandArgs } from './commandArgs';

/** What command handlers work with; built once in extension.ts. */
export interface CommandContext {
  readonly connections: SiteConnections;
  readonly model: RecordsTreeModel;
  readonly provider: RecordsTreeProvider;
  readonly treeView: vscode.TreeView<TreeNode>;
  readonly store: RecordStore;
  /** The only way to write: every create, update and delete. */
  readonly records: RecordService;
  readonly log: vscode.LogOutputChannel;
  readonly insights: InsightsRegistration;
  /** Bulk jobs: their preview and summary documents, and what Retry takes up. */
  readonly bulkJobs: BulkJobs;
  /** Open as Table: the custom editor's registration (its code loads with the first table). */
  readonly table: TableRegistration;
}

/** A command's handler: what it was given, parsed once for all (commandArgs.ts). */
export type ArgsHandler = (args: CommandArgs) => unknown;
