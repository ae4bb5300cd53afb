import { msg } from './text';
import { ApiError } from './errors';

/** Ids go into URLs and bodies, so anything but a positive integer is refused before sending. */
export function checkRecordId(id: unknown, what = 'record id'): string {
  const text = typeof id === 'number' ? String(id) : typeof id === 'string' ? id.trim() : '';
  if (!/^[1-9]\d{0,15}$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new ApiError('invalidInput', msg`"${String(id).slice(0, 40)}" is not a valid ${what}: it must be a positive whole number.`, { field: what });
  }
  return text;
}
