import { lstat, readdir, unlink } from 'node:fs/promises';
import * as path from 'node:path';
import { isTemporaryName } from './exportFormat';

/**
 * How old a temporary file must be to be an abandoned one. An export running elsewhere (another
 * window) writes its temporary file page by page, so its modification time stays recent.
 */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes the temporary files of earlier exports into `folder` that never finished (the editor
 * crashed or was killed, so neither the rename nor the clean-up ran): regular files named as
 * an export names them (isTemporaryName), last written more than a day ago. Nothing else is
 * touched: not other names, not folders or links, not subfolders. Never throws: a folder that
 * cannot be listed or a file that cannot be deleted must not stop the export that starts.
 */
export async function sweepStaleTemporaryFiles(folder: string): Promise<void> {
  const now = Date.now();
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return;
  }
  for (const name of names) {
    if (!isTemporaryName(name)) continue;
    const file = path.join(folder, name);
    try {
      const stat = await lstat(file);
      if (stat.isFile() && now - stat.mtimeMs > STALE_AFTER_MS) await unlink(file);
    } catch {
      // Gone meanwhile, or not ours to delete: left alone.
    }
  }
}
