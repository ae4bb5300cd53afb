import type { RecordFilter } from './filters';
import type { ApiRecord } from './schemas';

/**
 * The one place the "viewed" rule lives: a website notification is read when `notification_view`
 * is "1"; Mark as Viewed and Mark as Unread write only that field; "all unread" is this condition.
 */
const VIEW_FIELD = 'notification_view';

export const UNREAD_FILTER: RecordFilter = { field: VIEW_FIELD, operator: 'eq', value: '0' };

export function isUnread(record: ApiRecord): boolean {
  return record[VIEW_FIELD] !== '1';
}

/** What Mark as Viewed (or Unread) sends: the one field. */
export function viewedFields(viewed: boolean): Readonly<Record<string, string>> {
  return { [VIEW_FIELD]: viewed ? '1' : '0' };
}
