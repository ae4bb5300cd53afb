/** Every command id in one place; package.json contributes exactly these (a test checks both ways). */
export const COMMANDS = {
  addSite: 'directoryRecords.addSite',
  removeSite: 'directoryRecords.removeSite',
  setApiKey: 'directoryRecords.setApiKey',
  editSite: 'directoryRecords.editSite',
  siteActions: 'directoryRecords.siteActions',
  refresh: 'directoryRecords.refresh',
  openRecord: 'directoryRecords.openRecord',
  openRecordById: 'directoryRecords.openRecordById',
  loadMore: 'directoryRecords.loadMore',
  filter: 'directoryRecords.filter',
  clearFilter: 'directoryRecords.clearFilter',
  sort: 'directoryRecords.sort',
  findRecord: 'directoryRecords.findRecord',
  newRecord: 'directoryRecords.newRecord',
  deleteRecord: 'directoryRecords.deleteRecord',
  restoreDeleted: 'directoryRecords.restoreDeleted',
  markViewed: 'directoryRecords.markViewed',
  markUnread: 'directoryRecords.markUnread',
  compareWithServer: 'directoryRecords.compareWithServer',
  overwriteServer: 'directoryRecords.overwriteServer',
  discardChanges: 'directoryRecords.discardChanges',
  copyId: 'directoryRecords.copyId',
  copyEmail: 'directoryRecords.copyEmail',
  showLog: 'directoryRecords.showLog',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];
