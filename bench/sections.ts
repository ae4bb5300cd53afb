import { CLICK_INSIGHTS } from './sectionClickInsights';
import { CLIENT_OVERHEAD } from './sectionClientOverhead';
import { EXTENSION_HOST } from './sectionExtensionHost';
import { EXPORT_MEMORY } from './sectionExportMemory';
import { EXPORT_PACING } from './sectionExportPacing';
import { FIRST_REQUEST } from './sectionFirstRequest';
import { RATE_PACING } from './sectionRatePacing';
import { BULK_MARK_VIEWED } from './sectionBulkViewed';
import { DELETION_JOURNAL } from './sectionDeletionJournal';
import { TABLE_SAVE } from './sectionTableSave';
import { TREE_MODEL } from './sectionTreeModel';
import type { Section } from './types';

/** Every section, in the order they run and appear in docs/BENCHMARKS.md. Add new ones here. */
export const SECTIONS: readonly Section[] = [CLIENT_OVERHEAD, RATE_PACING, EXTENSION_HOST, EXPORT_PACING, EXPORT_MEMORY, CLICK_INSIGHTS, BULK_MARK_VIEWED, FIRST_REQUEST, DELETION_JOURNAL, TREE_MODEL, TABLE_SAVE];
