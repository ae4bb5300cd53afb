import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { once } from 'node:events';
import * as path from 'node:path';
import type { ApiRecord } from '../api/schemas';
import { rewriteCsvHeader } from './csvRewrite';
import { partialPathOf, rewritePathOf, temporaryPathOf, type ExportFormat } from './exportFormat';
import { createRecordWriter, CsvWriter, type CsvOptions } from './recordWriters';
import { sweepStaleTemporaryFiles } from './staleTemporaryFiles';

/** The file functions a write stream uses (Node's `createWriteStream` `fs` option: open, write, close). */
export type ExportFileSystem = NonNullable<Extract<Parameters<typeof createWriteStream>[1], object>['fs']>;

/** One page of records to export; the first says how many the whole export holds, when known. */
export interface ExportPage {
  readonly records: readonly ApiRecord[];
  readonly total?: number;
}

export interface ExportProgress {
  readonly records: number;
  /** The first page's count of the whole listing; undefined when the API did not say. */
  readonly total: number | undefined;
  readonly pages: number;
}

export interface ExportFileOptions {
  readonly target: string;
  readonly format: ExportFormat;
  /** CSV only: header columns, formula guard, byte-order mark. */
  readonly csv: CsvOptions;
  readonly signal?: AbortSignal;
  /** After each page is written (handed to the file). */
  readonly onProgress?: (progress: ExportProgress) => void;
  /** The file functions the temporary file is written through (Node's `createWriteStream` `fs` option); tests pass failing ones. */
  readonly fileSystem?: ExportFileSystem;
}

export type ExportOutcome = ExportDone | ExportStopped;

export interface ExportDone {
  readonly status: 'done';
  readonly path: string;
  readonly records: number;
  /** CSV: columns first seen after the first page, which the second pass added to the header. */
  readonly lateColumns: readonly string[];
}

/**
 * Cancelled (`cancelled`) or failed (`error`) part-way: what was written so far waits under the
 * temporary name until the caller says to keep it (completed as a valid file of its format and
 * renamed to `name.partial.ext`) or to delete it. One of the two must be called; either leaves
 * no temporary file behind.
 */
export interface ExportStopped {
  readonly status: 'stopped';
  readonly records: number;
  readonly cancelled: boolean;
  readonly error: unknown;
  keep(): Promise<string>;
  discard(): Promise<void>;
}

/**
 * Writes the pages to a temporary file beside `target`, one page at a time (each awaited to the
 * file before the next is asked for, so memory holds one page), and renames it to `target` once
 * complete. A CSV whose later pages brought new columns gets a second, streamed pass that
 * rewrites it with the full header. First, stale temporary files that earlier exports left in
 * that folder when they crashed are deleted (staleTemporaryFiles.ts). Stopping (the signal, or a failure of the pages or the disk)
 * leaves the decision about the partial file to the caller (ExportStopped).
 */
export async function exportToFile(pages: AsyncIterable<ExportPage>, options: ExportFileOptions): Promise<ExportOutcome> {
  const { target, format, csv, signal, fileSystem } = options;
  // An export that crashed earlier left its temporary file (records, maybe personal data) here.
  await sweepStaleTemporaryFiles(path.dirname(target));
  const temporary = temporaryPathOf(target);
  const writer = createRecordWriter(format, csv);
  const file = openStream(temporary, 'wx', fileSystem);
  await once(file, 'open');
  let records = 0;
  let total: number | undefined;
  let pageCount = 0;
  try {
    for await (const page of pages) {
      signal?.throwIfAborted();
      if (pageCount === 0) total = page.total;
      pageCount++;
      await write(file, writer.write(page.records));
      records += page.records.length;
      options.onProgress?.({ records, total, pages: pageCount });
    }
    signal?.throwIfAborted();
  } catch (error) {
    // A disk failure already broke the stream; its error is the one reported.
    await close(file).catch(() => undefined);
    const cancelled = signal?.aborted === true;
    let settled = false;
    const settle = (): void => {
      if (settled) throw new Error('The partial export was already kept or deleted.');
      settled = true;
    };
    return {
      status: 'stopped',
      records,
      cancelled,
      error,
      keep: async () => {
        settle();
        const partial = partialPathOf(target);
        await finish(temporary, partial, writer.end(), writer instanceof CsvWriter ? writer : undefined, csv, fileSystem);
        return partial;
      },
      discard: async () => {
        settle();
        await unlink(temporary).catch(() => undefined);
      },
    };
  }
  // Every page is in the file by now: the rest (the end, the CSV header pass, the rename) is local
  // and bounded, so a late Cancel does not abort it midway (which would throw away a whole export).
  try {
    await write(file, writer.end());
    await close(file);
    await finish(temporary, target, '', writer instanceof CsvWriter ? writer : undefined, csv, fileSystem);
  } catch (error) {
    file.destroy();
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  return { status: 'done', path: target, records, lateColumns: writer instanceof CsvWriter ? writer.lateColumns : [] };
}

/** Appends `tail`, gives a CSV its full header if columns came late, and renames the temporary file to `to`. */
async function finish(temporary: string, to: string, tail: string, csvWriter: CsvWriter | undefined, csv: CsvOptions, fileSystem: ExportFileSystem | undefined): Promise<void> {
  try {
    if (tail) {
      const file = openStream(temporary, 'a', fileSystem);
      try {
        await write(file, tail);
        await close(file);
      } catch (error) {
        file.destroy();
        throw error;
      }
    }
    if (csvWriter && csvWriter.lateColumns.length > 0) {
      const rewritten = rewritePathOf(temporary);
      try {
        await rewriteCsvHeader(temporary, rewritten, csvWriter.headerCells, csv.byteOrderMark);
        await rename(rewritten, temporary);
      } catch (error) {
        await unlink(rewritten).catch(() => undefined);
        throw error;
      }
    }
    await rename(temporary, to);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/**
 * A write stream with a permanent 'error' listener: a disk failure (ENOSPC, EIO) after a write
 * the stream had buffered is then kept in `file.errored` for the next write or close to throw,
 * instead of being an uncaught exception in the extension host.
 */
function openStream(path: string, flags: 'wx' | 'a', fileSystem: ExportFileSystem | undefined): WriteStream {
  const file = createWriteStream(path, { flags, encoding: 'utf8', ...(fileSystem ? { fs: fileSystem } : {}) });
  file.on('error', () => undefined);
  return file;
}

/**
 * Writes and waits until the stream takes more (backpressure), so pages never pile up in memory.
 * Throws the stream's failure instead of waiting for a 'drain' a broken stream never emits.
 */
async function write(file: WriteStream, text: string): Promise<void> {
  if (!text) return;
  throwIfBroken(file);
  if (file.write(text)) return;
  throwIfBroken(file);
  await new Promise<void>((resolve, reject) => {
    const settle = (error?: unknown): void => {
      file.off('drain', onDrain);
      file.off('error', onError);
      file.off('close', onClose);
      if (error === undefined) resolve();
      else reject(error instanceof Error ? error : new Error(String(error)));
    };
    const onDrain = (): void => settle();
    const onError = (error: unknown): void => settle(error);
    const onClose = (): void => settle(file.errored ?? new Error('The export file was closed before everything was written.'));
    file.on('drain', onDrain);
    file.on('error', onError);
    file.on('close', onClose);
  });
}

function throwIfBroken(file: WriteStream): void {
  if (file.errored) throw file.errored;
  if (file.destroyed) throw new Error('The export file was closed before everything was written.');
}

async function close(file: WriteStream): Promise<void> {
  if (file.errored) throw file.errored;
  if (file.closed) return;
  await new Promise<void>((resolve, reject) => file.end((error?: Error | null) => (error ? reject(error) : resolve())));
}
