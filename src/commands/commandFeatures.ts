import { COMMANDS, type CommandId } from '../commandIds';
import type { ArgsHandler, CommandContext } from './commandContext';

/** A feature's handlers, built once from the command context when the feature is first used. */
export type FeatureHandlers = (ctx: CommandContext) => Partial<Record<CommandId, ArgsHandler>>;

interface Feature {
  /** Loads the feature's module: each `import()` is a bundle of its own (esbuild.mjs), read on the feature's first command. */
  readonly load: () => Promise<FeatureHandlers>;
  readonly commands: readonly CommandId[];
}

/**
 * Which feature holds each command. Activation registers every id and loads none of them; a
 * feature's code is required when a person first runs one of its commands.
 */
export const FEATURES: Readonly<Record<string, Feature>> = {
  sites: {
    load: () => import('./siteCommands').then((m) => m.siteCommands),
    commands: [COMMANDS.addSite, COMMANDS.removeSite, COMMANDS.setApiKey, COMMANDS.editSite, COMMANDS.siteActions],
  },
  browse: {
    load: () => import('./browseCommands').then((m) => m.browseCommands),
    commands: [COMMANDS.refresh, COMMANDS.openRecord, COMMANDS.openRecordById, COMMANDS.loadMore, COMMANDS.filter, COMMANDS.clearFilter, COMMANDS.sort, COMMANDS.findRecord],
  },
  records: {
    load: () => import('./recordCommands').then((m) => m.recordCommands),
    commands: [COMMANDS.newRecord, COMMANDS.deleteRecord, COMMANDS.restoreDeleted, COMMANDS.markViewed, COMMANDS.markUnread, COMMANDS.compareWithServer, COMMANDS.overwriteServer, COMMANDS.discardChanges],
  },
  utility: {
    load: () => import('./utilityCommands').then((m) => m.utilityCommands),
    commands: [COMMANDS.copyId, COMMANDS.copyEmail, COMMANDS.showLog],
  },
  export: {
    load: () => import('./exportCommands').then((m) => m.exportCommands),
    commands: [COMMANDS.exportRecords],
  },
  insights: {
    load: () => import('./insightsCommands').then((m) => m.insightsCommands),
    commands: [COMMANDS.showClickInsights],
  },
  table: {
    load: () => import('./tableCommands').then((m) => m.tableCommands),
    commands: [COMMANDS.openTable],
  },
  history: {
    load: () => import('./saveHistoryCommands').then((m) => m.saveHistoryCommands),
    commands: [COMMANDS.showSaveHistory, COMMANDS.restoreHistoryVersion, COMMANDS.clearSaveHistory],
  },
  bulk: {
    load: () => import('./bulkCommands').then((m) => m.bulkCommands),
    commands: [COMMANDS.setField, COMMANDS.markAllViewed, COMMANDS.setFieldAllMatching, COMMANDS.deleteAllMatching, COMMANDS.retryBulk],
  },
};
