import type { ApiRecord } from '../api/schemas';

/**
 * What a model sees of personal data: emails, phone numbers, IP addresses and the tokens that
 * identify a visitor or a record are masked unless the user allows a site's data unmasked
 * (setting `directoryRecords.agent.unmaskedSites`). Every mask holds MASK, so a value the model
 * saw masked and sends back is recognised and refused (`holdsMask`).
 */
export const MASK = '***';

/** Fields that hold a phone number: the last two digits stay, so two numbers can be told apart. */
const PHONE_FIELDS = new Set(['phone_number', 'fax_number']);
/** Fields that hold an IP address (BD contacts, notifications, clicks; Copernica clicks). */
const IP_FIELDS = new Set(['ip', 'click_ip', 'interactor_ip']);
/** Tokens that identify a visitor, a click, a contact or a notification: nothing of them is shown. */
const TOKEN_FIELDS = new Set(['visitor_token', 'click_token', 'token', 'notification_token']);

const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g;
const IPV4 = /\b(\d{1,3})\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/g;

/** An email anywhere in a text (a notification's message quotes one) becomes `j***@example.com`. */
export function maskText(text: string): string {
  return text.replace(EMAIL, (_, first: string, domain: string) => `${first}${MASK}@${domain}`).replace(IPV4, (_, first: string) => `${first}.${MASK}`);
}

/** One value of a field, masked as its kind of data says. */
export function maskValue(field: string, value: string | null): string | null {
  if (value === null || value === '') return value;
  if (TOKEN_FIELDS.has(field)) return MASK;
  if (PHONE_FIELDS.has(field)) {
    const digits = value.replace(/\D/g, '');
    return digits.length > 4 ? `${MASK}${digits.slice(-2)}` : MASK;
  }
  if (IP_FIELDS.has(field)) {
    const v4 = /^(\d{1,3})\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.exec(value);
    if (v4) return `${v4[1]}.${MASK}`;
    const v6 = /^([0-9a-f]{1,4}):/i.exec(value);
    return v6 ? `${v6[1]}:${MASK}` : MASK;
  }
  return maskText(value);
}

/** A record as the model may see it: every value masked, unless `unmasked`. */
export function maskRecord(record: ApiRecord, unmasked: boolean): ApiRecord {
  if (unmasked) return record;
  const out: Record<string, string | null> = {};
  for (const [field, value] of Object.entries(record)) out[field] = maskValue(field, value ?? null);
  return out;
}

/** Whether a value holds the mask: it came from a masked value, so it is never written or searched for. */
export function holdsMask(value: string | null | undefined): boolean {
  return typeof value === 'string' && value.includes(MASK);
}
