import type { ResourceDescriptor } from '../api/resources';
import { msg, renderText, type LocalisableText } from '../api/text';
import type { CellValue } from './tableProtocol';
import type { RowDiff } from './tableModel';

/** Requests one row's save makes when nothing goes wrong: read, update, read back (src/api/recordSave.ts). */
export const REQUESTS_PER_ROW = 3;

/** The least time `requests` take at `perMinute` (the site's pace); the client paces, so this is about what a save takes. */
export function pacedSeconds(requests: number, perMinute: number): number {
  return perMinute > 0 ? Math.ceil((requests / perMinute) * 60) : 0;
}


/**
 * The review shown before a table's changes are sent: every changed record with each field
 * old → new, then how many requests and about how long. Markdown, read in a preview-less text
 * tab beside the table.
 */
export function reviewText(site: string, resource: ResourceDescriptor, diffs: readonly RowDiff[], label: (id: string) => string, perMinute: number, render: (text: LocalisableText) => string = (t) => renderText(t)): string {
  const shown = (value: CellValue): string => (value === null || value === '' ? render(msg`(empty)`) : JSON.stringify(value));
  const requests = diffs.length * REQUESTS_PER_ROW;
  const lines = [
    render(msg`# Review: ${diffs.length} changed ${resource.plural} on "${site}"`),
    '',
    render(msg`Saving sends ${requests} requests (${REQUESTS_PER_ROW} a record: read, update, read back), about ${pacedSeconds(requests, perMinute)} s at this site's pace of ${perMinute} a minute. Each record is merged with the server's version first; a record whose changed fields also changed on the server is not sent.`),
    '',
  ];
  for (const diff of diffs) {
    lines.push(`## ${resource.singular} ${diff.id} — ${label(diff.id)}`, '');
    for (const field of diff.fields) lines.push(`- ${field.field}: ${shown(field.old)} → ${shown(field.new)}`);
    lines.push('');
  }
  return lines.join('\n');
}
