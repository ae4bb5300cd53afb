import type { RecordsFollower } from '../records/recordService';
import type { RecordsTreeModel } from './recordsTreeModel';
import type { UnreadBadge } from './unreadBadge';

/**
 * The tree and the unread badge after a write, whoever made it (a save, a delete, a bulk run):
 * records shown in place, created ones on top, deleted ones gone, the unread count moved by the
 * difference, and a listing read again when the write reached records beyond it.
 */
export function treeFollower(model: RecordsTreeModel, badge: UnreadBadge): RecordsFollower {
  return (change) => {
    const ref = { site: change.site, model: change.resource.model };
    for (const record of change.created) {
      model.addRecord(ref, record);
      badge.created(ref, record);
    }
    model.replaceRecords(ref, change.saved);
    if (change.deleted.length > 0) badge.deleted(ref, change.deleted, model.removeRecords(ref, change.deleted));
    if (change.beyond) model.refresh(ref);
  };
}
