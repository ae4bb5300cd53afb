import { isApiError } from './errors';
import { SYSTEM_CLOCK, type PacingClock } from './rateLimiter';
import { applyChanges, mergeRecord, myChanges, sameValue } from './recordMerge';
import type { ResourceDescriptor } from './resources';
import type { ApiRecord } from './schemas';

/** The two requests a save makes: any site client has them. */
export interface RecordClient {
  get(resource: ResourceDescriptor, id: string): Promise<ApiRecord>;
  /** `checkedAt`: when the read the update was merged against came back; a write past the bound is refused as `stale`, unsent. */
  update(resource: ResourceDescriptor, known: ApiRecord, updated: ApiRecord, signal?: AbortSignal, options?: { readonly checkedAt?: number }): Promise<unknown>;
}

/** A refused stale write is merged again from a new read; a site that keeps it waiting that often fails the save visibly. */
const READS_PER_SAVE = 3;

export type SaveResult =
  /** The edit changes nothing the editor showed: no request was made. */
  | { readonly kind: 'nothing' }
  /** A field I changed also changed on the server, to another value: nothing was sent. */
  | { readonly kind: 'conflict'; readonly server: ApiRecord; readonly fields: readonly string[] }
  | {
      readonly kind: 'saved';
      /** The server's record after the save (what was sent applied to it, when it could not be read back). */
      readonly record: ApiRecord;
      /** False when the update went through but the read after it failed. */
      readonly readBack: boolean;
      /** Every field I changed already had my value on the server: nothing was sent. */
      readonly alreadyThere: boolean;
      /** Fields changed on the server meanwhile that I did not send: merged in. */
      readonly theirsOnly: readonly string[];
    };

/**
 * One save, decided from three things only: the record the editor showed (`shown`), what it
 * shows now (`edited`), and the server's record read just before the update. Throws, with
 * nothing half-written, when the edit cannot be sent or a request fails. The client is asked
 * for only when there is something to send.
 */
export async function saveEdit(
  connect: () => Promise<RecordClient>,
  resource: ResourceDescriptor,
  id: string,
  shown: ApiRecord,
  edited: Readonly<Record<string, unknown>>,
  preferMine = false,
  clock: Pick<PacingClock, 'now'> = SYSTEM_CLOCK,
): Promise<SaveResult> {
  // Bad fields are refused before any request; an edit of nothing but whitespace sends nothing.
  const changes = myChanges(resource, shown, edited);
  if (Object.keys(changes).length === 0) return { kind: 'nothing' };
  const client = await connect();
  for (let read = 1; ; read++) {
    const theirs = await client.get(resource, id);
    // After a rate-limit wait the update is not sent from this read once it is older than the
    // bound (the request layer refuses it as stale): the merge is decided again from a new read.
    const checkedAt = clock.now();
    const merge = mergeRecord({ resource, base: shown, mine: changes, theirs, preferMine });
    if (merge.kind === 'unchanged') return { kind: 'nothing' };
    if (merge.kind === 'conflict') return { kind: 'conflict', server: theirs, fields: merge.fields };
    if (merge.kind === 'alreadyThere') return { kind: 'saved', record: theirs, readBack: true, alreadyThere: true, theirsOnly: merge.theirs };
    const expected = applyChanges(theirs, merge.send);
    let fresh: ApiRecord | undefined;
    try {
      // BD's update is not conditional: the window between the read above and this PUT is as
      // short as two requests in a row can make it.
      fresh = await sendUpdate(client, resource, id, theirs, expected, merge.send, checkedAt);
    } catch (error) {
      if (isApiError(error, 'stale') && read < READS_PER_SAVE) continue;
      throw error;
    }
    return {
      kind: 'saved',
      record: fresh ?? expected,
      readBack: fresh !== undefined,
      alreadyThere: false,
      theirsOnly: merge.theirs.filter((name) => !(name in merge.send)),
    };
  }
}

/** Sends the update and reads the record back (undefined when that read fails); on a lost reply, a read tells whether it was applied. */
async function sendUpdate(
  client: RecordClient,
  resource: ResourceDescriptor,
  id: string,
  theirs: ApiRecord,
  expected: ApiRecord,
  send: Readonly<Record<string, string | null>>,
  checkedAt: number,
): Promise<ApiRecord | undefined> {
  try {
    await client.update(resource, theirs, expected, undefined, { checkedAt });
  } catch (error) {
    if (!isApiError(error, 'network') && !isApiError(error, 'timeout')) throw error;
    const now = await client.get(resource, id).catch(() => undefined);
    const applied = now && Object.entries(send).every(([name, value]) => sameValue(now[name], value));
    if (!applied) throw error;
    return now;
  }
  return client.get(resource, id).catch(() => undefined);
}

/** The saved text as a record: strings and nulls, as the API keeps values (validated by the merge). */
export function editedRecord(fields: Readonly<Record<string, unknown>>): ApiRecord {
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, typeof value === 'string' ? value : null]));
}
