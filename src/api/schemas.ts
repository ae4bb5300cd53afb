import { en } from 'zod/locales';
import * as z from 'zod/mini';
import type { ModelName } from './resources';

// zod/mini, not zod: the same checks without the chained methods, which keep every locale and
// most of zod in the bundle (dist/siteApi.js held 444 KiB of zod, 258 of them locales; now ~28).
// zod/mini sets no locale of its own; English is zod's, so a reply's failure reads as before
// (test/unit/api/schemaMessages.test.ts). The setting is zod's one global one, made once here.
z.config(en());

/** BD and Copernica send every record value as a string or null; numbers would be a broken reply. */
export const apiValue = z.nullable(z.string());
export type ApiValue = z.infer<typeof apiValue>;
/** A record as the API sent it: field order kept, values untouched ("0012" stays "0012"). */
export type ApiRecord = Record<string, ApiValue>;

const value = z.optional(apiValue);

function recordSchema<K extends string>(primaryKey: K, fields: readonly string[]) {
  const shape: Record<string, typeof value> = {};
  for (const field of fields) shape[field] = value;
  return z.catchall(z.object({ ...shape, [primaryKey]: z.string().check(z.regex(/^\d+$/, 'must be a numeric id')) }), apiValue);
}

export const CONTACT_FIELDS = [
  'contact_id', 'first_name', 'last_name', 'email', 'company', 'phone_number', 'fax_number', 'address1', 'address2',
  'city', 'zip_code', 'state_code', 'country_code', 'website', 'twitter', 'facebook', 'linkedin', 'blog', 'active',
  'token', 'position', 'profession', 'dob', 'date_created', 'created_by', 'date_updated', 'updated_by', 'rel_db',
  'rel_id', 'additional', 'additional_fields', 'ip', 'revision_timestamp', 'user_consent',
] as const;

export const WEBSITE_NOTIFICATION_FIELDS = [
  'notification_id', 'notification_status', 'notification_title', 'notification_message', 'notification_category',
  'notification_sub_category', 'notification_view', 'notification_table', 'notification_table_index',
  'notification_table_index_value', 'notification_date', 'notification_token', 'interactor', 'interactor_index',
  'interactor_ip',
] as const;

export const USER_CLICK_FIELDS = [
  'click_id', 'user_id', 'click_type', 'click_name', 'click_from', 'click_url', 'click_ip', 'visitor_token',
  'click_token', 'date_clicked', 'post_id', 'is_single_post',
] as const;

export const COPERNICA_CLICK_FIELDS = ['ID', 'mailing', 'link', 'timestamp', 'ip', 'useragent', 'destination', 'profile', 'subprofile'] as const;

export const ContactSchema = recordSchema('contact_id', CONTACT_FIELDS);
export const WebsiteNotificationSchema = recordSchema('notification_id', WEBSITE_NOTIFICATION_FIELDS);
export const UserClickSchema = recordSchema('click_id', USER_CLICK_FIELDS);
export const CopernicaClickSchema = recordSchema('ID', COPERNICA_CLICK_FIELDS);

/** Shape checks per model; callers keep the original object so the API's field order survives. */
export const RECORD_SCHEMAS: Readonly<Record<ModelName, z.ZodMiniType>> = {
  contacts: ContactSchema,
  website_notifications: WebsiteNotificationSchema,
  users_clicks: UserClickSchema,
  ms_clicks: CopernicaClickSchema,
};

/**
 * The record schemas above, checked without allocating: every value a string or null and a
 * numeric primary key. Listings run this per record; zod runs only to word a failure.
 */
export function hasRecordShape(item: unknown, primaryKey: string): boolean {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return false;
  for (const key in item) {
    const value = (item as Record<string, unknown>)[key];
    if (value !== null && typeof value !== 'string') return false;
  }
  const id = (item as Record<string, unknown>)[primaryKey];
  return typeof id === 'string' && /^\d+$/.test(id);
}

/** Integers that BD sends as numbers in one place and strings in another. */
const looseCount = z.union([z.int().check(z.nonnegative()), z.pipe(z.string().check(z.regex(/^\d+$/)), z.transform(Number))]);

export const BdErrorEnvelope = z.object({ status: z.literal('error'), message: z.string() });

export const BdListEnvelope = z.object({
  status: z.literal('success'),
  message: z.array(z.unknown()),
  total: looseCount,
  current_page: looseCount,
  total_pages: looseCount,
  next_page: z.optional(z.nullable(z.string())),
  prev_page: z.optional(z.nullable(z.union([z.string(), z.number()]))),
});

/** get/{id} answers an array of one record (as the seeds show); some sites send the object. */
export const BdSingleEnvelope = z.object({
  status: z.literal('success'),
  message: z.union([z.array(z.unknown()).check(z.minLength(1)), z.record(z.string(), z.unknown())]),
});

/** Writes echo a (possibly partial) record; delete answers a sentence. */
export const BdWriteEnvelope = z.object({
  status: z.literal('success'),
  message: z.union([z.record(z.string(), z.unknown()), z.string()]),
});

export const BdVerifyEnvelope = z.object({
  status: z.literal('success'),
  message: z.looseObject({ website: z.optional(z.string()), key: z.optional(z.string()) }),
});

export const CopernicaPageEnvelope = z.object({
  start: looseCount,
  limit: looseCount,
  count: looseCount,
  total: z.optional(looseCount),
  data: z.array(z.unknown()),
});

export const CopernicaErrorEnvelope = z.object({ error: z.object({ message: z.string() }) });

/** Says, in a sentence, where a value failed its schema: "message[3].email: expected string, received number". */
export function describeIssues(error: z.core.$ZodError, prefix = ''): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${[prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
