import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

/** What an export writes: CSV for spreadsheets, one JSON array, or one JSON record per line. */
export type ExportFormat = 'csv' | 'json' | 'ndjson';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'json', 'ndjson'];

export function fileExtensionOf(format: ExportFormat): string {
  return format;
}

/** `name.partial.csv` beside `name.csv`: what a stopped export is kept as, so it is never taken for a whole one. */
export function partialPathOf(target: string): string {
  const ext = path.extname(target);
  return ext ? `${target.slice(0, -ext.length)}.partial${ext}` : `${target}.partial`;
}

/** Random bytes in a temporary name, written as twice as many lowercase hex digits. */
const TEMPORARY_RANDOM_BYTES = 4;

/** A hidden name beside the target (same folder, so the final rename is atomic), unique per export. */
export function temporaryPathOf(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(TEMPORARY_RANDOM_BYTES).toString('hex')}.tmp`);
}

/** Where the CSV header pass writes, beside the temporary file, before renaming over it. */
export function rewritePathOf(temporary: string): string {
  return `${temporary}.full`;
}

/**
 * Exactly the shape of the names temporaryPathOf and rewritePathOf give, for any target (hidden,
 * the target's name, 8 lowercase hex digits, `.tmp`, maybe `.full`): what an export that crashed
 * (the editor killed mid-export) leaves behind.
 */
const TEMPORARY_NAME = new RegExp(`^\\..+\\.[0-9a-f]{${TEMPORARY_RANDOM_BYTES * 2}}\\.tmp(?:\\.full)?$`);

export function isTemporaryName(name: string): boolean {
  return TEMPORARY_NAME.test(name);
}

/** A file name part made of a site or resource name: letters, digits, dot, dash and underscore. */
function fileNamePart(text: string): string {
  return text.trim().replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '') || 'export';
}

/** `<site>-<resource>-<YYYY-MM-DD>.<format>`, the save dialog's suggestion. */
export function defaultExportName(site: string, model: string, format: ExportFormat, now: Date): string {
  const day = now.toISOString().slice(0, 10);
  return `${fileNamePart(site)}-${fileNamePart(model)}-${day}.${fileExtensionOf(format)}`;
}
