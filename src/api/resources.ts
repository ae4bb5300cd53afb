import { displayApiDate, parseApiDate, relativeApiDate, type ApiDateFormat } from './dates';
import type { ApiRecord } from './schemas';
import { msg, type TextArg } from './text';
import { isUnread } from './notificationViews';

export type BdModel = 'contacts' | 'website_notifications' | 'users_clicks';
export type ModelName = BdModel | 'ms_clicks';
export type ApiKind = 'brilliantDirectories' | 'copernica';

export interface FieldDescriptor {
  readonly name: string;
  /** What the vendor's documentation says the field holds. */
  readonly description: string;
  /** The type the API documents; on the wire every value is still a string. */
  readonly documentedType: 'integer' | 'string' | 'text' | 'timestamp';
  readonly dateFormat?: ApiDateFormat;
  readonly readOnly?: boolean;
  readonly requiredOnCreate?: boolean;
  readonly maxLength?: number;
  /** Accepted by filters but never stored on a record (contacts' cid, after, bucket). */
  readonly filterOnly?: boolean;
  /**
   * Filled in by the site, not by a person (stamps, tokens, the submitter's IP, the record it
   * was created from): a New Record leaves it out and refuses it. Unlike read-only fields, an
   * update may still change it.
   */
  readonly serverManaged?: boolean;
  /** The values the vendor's field table names, each with what it means. */
  readonly values?: readonly FieldValue[];
  /** The values are the table's examples ("EG …"): others occur too. */
  readonly valuesAreExamples?: boolean;
}

/** One value a field takes, as the vendor documents it. */
export interface FieldValue {
  readonly value: string;
  /** What the value means, in a few words ("active", "unread"); none for a bare example ("link"). */
  readonly meaning?: string;
}

export interface ResourceDescriptor {
  readonly api: ApiKind;
  readonly model: ModelName;
  /** The path segment after /api/v2/ (BD) or /v2/ (Copernica). */
  readonly path: string;
  readonly primaryKey: string;
  readonly singular: string;
  readonly plural: string;
  readonly fields: readonly FieldDescriptor[];
  readonly canCreate: boolean;
  readonly canUpdate: boolean;
  readonly canDelete: boolean;
  /** Changes with every write; the cheapest way to tell that a record moved on. */
  readonly revisionField?: string;
  /** The field a listing is ordered by so pages stay stable (newest first in the tree). */
  readonly orderField: string;
  /** How a person recognises the record, e.g. "Jane Smith <jane@example.com>" (documents, dialogs, the tooltip's heading). */
  label(record: ApiRecord, dates?: Intl.DateTimeFormat): string;
  /** The record as a tree row: a short label and a dimmed description that tells it apart. */
  row(record: ApiRecord, dates: RowDates): RecordRow;
  /** Fields worth showing in a tooltip, in order. */
  readonly tooltipFields: readonly string[];
}

/** What a row's dates are written with; built once per tree (formatters are costly to build). */
export interface RowDates {
  /** A day, "Sep 5, 2023". */
  readonly day: Intl.DateTimeFormat;
  /** How long ago, as shown (narrow): "13mo ago", "3d ago". */
  readonly relative: Intl.RelativeTimeFormat;
  /** How long ago, as said to a screen reader: "13 months ago". */
  readonly spokenRelative: Intl.RelativeTimeFormat;
  readonly now: Date;
}

/**
 * A tree row: a label saying what the record is, and a dimmed description (parts joined with
 * " · ") that starts with what tells records apart. The tree fits the label to the sidebar
 * (src/tree/rowFit.ts), so that it is never cut and the description shows its first
 * characters; full details go in the tooltip.
 */
export interface RecordRow {
  readonly label: TextArg;
  /** Shorter forms of the label, longest first, to use before cutting it (a link's host and last segment). */
  readonly shorter?: readonly string[];
  readonly description: readonly TextArg[];
  /** The description as a screen reader should say it, when it differs ("13 months ago"). */
  readonly spoken?: readonly TextArg[];
  /** An unread notification: shown visibly distinct. */
  readonly unread?: boolean;
}

const f = (name: string, documentedType: FieldDescriptor['documentedType'], description: string, extra: Partial<FieldDescriptor> = {}): FieldDescriptor => ({ name, documentedType, description, ...extra });
const max255 = { maxLength: 255 };
const server = { serverManaged: true };
const values = (pairs: Record<string, string>, examples = false): Partial<FieldDescriptor> => ({
  values: Object.entries(pairs).map(([value, meaning]) => ({ value, meaning })),
  ...(examples ? { valuesAreExamples: true } : {}),
});
const examples = (...names: string[]): Partial<FieldDescriptor> => ({ values: names.map((value) => ({ value })), valuesAreExamples: true });
const text = (value: string | null | undefined): string => (value ?? '').trim();

function contactLabel(r: ApiRecord): string {
  const name = [text(r['first_name']), text(r['last_name'])].filter(Boolean).join(' ');
  const email = text(r['email']);
  if (name && email) return `${name} <${email}>`;
  return name || email || text(r['company']) || `Contact ${r['contact_id'] ?? ''}`.trim();
}

function notificationLabel(r: ApiRecord, dates?: Intl.DateTimeFormat): string {
  const title = text(r['notification_title']);
  const message = text(r['notification_message']);
  // The seed's own example has the title "na": fall back to the message, which says what happened.
  const heading = title && title.toLowerCase() !== 'na' ? title : message.length > 60 ? `${message.slice(0, 59)}…` : message;
  const date = displayApiDate(r['notification_date'], dates);
  return [heading || `Notification ${r['notification_id'] ?? ''}`.trim(), date].filter(Boolean).join(' · ');
}

function userClickLabel(r: ApiRecord, dates?: Intl.DateTimeFormat): string {
  const parts = [text(r['click_name']), text(r['click_type']), displayApiDate(r['date_clicked'], dates)].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : `Click ${r['click_id'] ?? ''}`.trim();
}

function copernicaClickLabel(r: ApiRecord, dates?: Intl.DateTimeFormat): string {
  const parts = [text(r['link']), displayApiDate(r['timestamp'], dates)].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : `Click ${r['ID'] ?? ''}`.trim();
}

function contactRow(r: ApiRecord): RecordRow {
  const name = [text(r['first_name']), text(r['last_name'])].filter(Boolean).join(' ');
  const label = [name, text(r['email']), text(r['company'])].find(Boolean);
  // The email (else the company, else the phone) beside whatever the label shows.
  const beside = [text(r['email']), text(r['company']), text(r['phone_number'])].find((value) => value && value !== label);
  return { label: label || msg`Contact ${r['contact_id'] ?? ''}`, description: beside ? [beside] : [] };
}

function notificationRow(r: ApiRecord, dates: RowDates): RecordRow {
  const title = text(r['notification_title']);
  // The seed's own example has the title "na": the message says what happened.
  const heading = title && title.toLowerCase() !== 'na' ? title : text(r['notification_message']);
  const unread = isUnread(r);
  const flag = unread ? msg`unread` : '';
  return {
    label: heading || msg`Notification ${r['notification_id'] ?? ''}`,
    description: [relativeApiDate(r['notification_date'], dates.now, dates.relative), flag].filter(Boolean),
    spoken: [relativeApiDate(r['notification_date'], dates.now, dates.spokenRelative), flag].filter(Boolean),
    unread,
  };
}

function dayOf(value: string | null | undefined, dates: RowDates): string {
  const date = parseApiDate(value);
  return date ? dates.day.format(date) : text(value);
}

function userClickRow(r: ApiRecord, dates: RowDates): RecordRow {
  const what = text(r['click_name']) || text(r['click_type']);
  const member = text(r['user_id']);
  return {
    label: what || msg`Click ${r['click_id'] ?? ''}`,
    description: [member ? msg`member ${member}` : '', dayOf(r['date_clicked'], dates)].filter(Boolean),
  };
}

function copernicaClickRow(r: ApiRecord, dates: RowDates): RecordRow {
  const [link, ...shorter] = linkForms(text(r['link']));
  const mailing = text(r['mailing']);
  return {
    label: link || msg`Click ${r['ID'] ?? ''}`,
    shorter,
    description: [mailing ? msg`mailing ${mailing}` : '', dayOf(r['timestamp'], dates)].filter(Boolean),
  };
}

/**
 * A link as host and path, longest form first: no scheme, "www.", query or fragment
 * ("myshop.nl/nieuwsbrief/4/aanbiedingen"); then, for a longer path, its first and last
 * segments ("myshop.nl/nieuwsbrief/…/aanbiedingen"), the host and last segment
 * ("myshop.nl/…/aanbiedingen"), and the last segment alone ("…/aanbiedingen"), for a row too
 * narrow for the host (an account's links mostly share it; the tooltip names it). Not a URL
 * (mailto:, tel:): the text as it is.
 */
export function linkForms(link: string): string[] {
  const match = /^(?:[a-z][a-z0-9+.-]*:)?\/\/([^/?#]*)([^?#]*)/i.exec(link);
  if (!match) return link ? [link] : [];
  const host = (match[1] ?? '').replace(/^www\./i, '');
  const segments = (match[2] ?? '').split('/').filter(Boolean);
  const forms = [[host, ...segments].join('/')];
  const last = segments[segments.length - 1];
  if (segments.length > 2) forms.push(`${host}/${segments[0]}/…/${last}`);
  if (segments.length > 1) forms.push(`${host}/…/${last}`);
  // Narrowest: the last segment alone, which is what tells one link of a mailing from another.
  if (last) forms.push(`…/${last}`);
  return forms;
}

export const CONTACTS: ResourceDescriptor = {
  api: 'brilliantDirectories',
  model: 'contacts',
  path: 'contacts',
  primaryKey: 'contact_id',
  singular: 'contact',
  plural: 'Contacts',
  canCreate: true,
  canUpdate: true,
  canDelete: true,
  revisionField: 'revision_timestamp',
  orderField: 'contact_id',
  label: contactLabel,
  row: contactRow,
  tooltipFields: ['contact_id', 'email', 'company', 'phone_number', 'city', 'country_code', 'date_updated'],
  fields: [
    f('contact_id', 'integer', 'Unique contact ID (primary key, read-only)', { readOnly: true }),
    f('first_name', 'string', "Contact's first name"),
    f('last_name', 'string', "Contact's last name"),
    f('email', 'string', 'Email address'),
    f('company', 'string', 'Company or organization name'),
    f('phone_number', 'string', 'Primary phone number'),
    f('fax_number', 'string', 'Fax number'),
    f('address1', 'string', 'Primary address line'),
    f('address2', 'string', 'Secondary address line (suite, unit, etc.)'),
    f('city', 'string', 'City'),
    f('zip_code', 'string', 'Postal/ZIP code'),
    f('state_code', 'string', 'State or province code (EG FL, CA)'),
    f('country_code', 'string', 'Two-letter country code (EG US)'),
    f('website', 'string', "Contact's website URL"),
    f('twitter', 'string', 'Twitter handle or profile URL'),
    f('facebook', 'string', 'Facebook profile URL'),
    f('linkedin', 'string', 'LinkedIn profile URL'),
    f('blog', 'text', 'Blog URL or notes'),
    f('active', 'integer', 'Active status: 1 active, 0 inactive', values({ 1: 'active', 0: 'inactive' })),
    f('token', 'string', 'Unique contact token', server),
    f('position', 'string', 'Job title or position'),
    f('profession', 'string', 'Profession or industry'),
    f('dob', 'string', 'Date of birth'),
    f('date_created', 'string', 'Date record was created (format: YYYYMMDDHHmmss)', { dateFormat: 'YYYYMMDDHHmmss', ...server }),
    f('created_by', 'string', 'Who created the contact (EG Website, admin)', server),
    f('date_updated', 'string', 'Date record was last updated (format: YYYYMMDDHHmmss)', { dateFormat: 'YYYYMMDDHHmmss', ...server }),
    f('updated_by', 'string', 'Who last updated the contact', server),
    f('rel_db', 'string', 'Related database table name (for linking to another record)', server),
    f('rel_id', 'integer', 'Related record ID in the rel_db table', server),
    f('additional', 'text', 'Additional notes or data'),
    f('additional_fields', 'text', 'JSON-encoded custom field values'),
    f('ip', 'string', 'IP address of the submitter', server),
    f('revision_timestamp', 'timestamp', 'Timestamp of last record modification (auto-managed)', { readOnly: true, dateFormat: 'YYYY-MM-DD HH:MM:SS' }),
    f('user_consent', 'text', 'Record of user consent (GDPR/privacy compliance)'),
    f('cid', 'string', 'Virtual filter field for contact grouping', { filterOnly: true }),
    f('after', 'string', 'Cursor pagination field', { filterOnly: true }),
    f('bucket', 'string', 'Virtual filter field for contact bucketing', { filterOnly: true }),
  ],
};

export const WEBSITE_NOTIFICATIONS: ResourceDescriptor = {
  api: 'brilliantDirectories',
  model: 'website_notifications',
  path: 'website_notifications',
  primaryKey: 'notification_id',
  singular: 'website notification',
  plural: 'Website Notifications',
  canCreate: true,
  canUpdate: true,
  canDelete: true,
  orderField: 'notification_id',
  label: notificationLabel,
  row: notificationRow,
  tooltipFields: ['notification_id', 'notification_date', 'notification_view', 'notification_message', 'interactor', 'notification_table'],
  fields: [
    f('notification_id', 'integer', 'Unique notification ID (primary key, read-only)', { readOnly: true }),
    f('notification_status', 'integer', 'Status code for this notification (EG 1 active, 4 archived)', { requiredOnCreate: true, ...values({ 1: 'active', 4: 'archived' }, true) }),
    f('notification_title', 'string', 'Short title or subject line for this notification; max 255 characters', { requiredOnCreate: true, ...max255 }),
    f('notification_message', 'text', 'Full message body describing the event (EG "user@example.com saved a post")', { requiredOnCreate: true }),
    f('notification_category', 'integer', 'Top-level category code grouping this notification type'),
    f('notification_sub_category', 'integer', 'Sub-category code providing more granular classification within the category'),
    f('notification_view', 'integer', 'Whether this notification has been viewed: 1 viewed, 0 unread', values({ 1: 'viewed', 0: 'unread' })),
    f('notification_table', 'string', 'Name of the database table containing the record this notification relates to (EG user, users_portfolio_groups); max 255 characters', { ...max255, ...examples('user', 'users_portfolio_groups') }),
    f('notification_table_index', 'string', 'Primary key column name of the related table (EG user_id, group_id); max 255 characters', { ...max255, ...examples('user_id', 'group_id') }),
    f('notification_table_index_value', 'string', 'Primary key value of the specific record this notification relates to; max 255 characters', max255),
    f('notification_date', 'string', 'Date and time the event occurred, stored as a 12-character string (format YYYYMMDDHHMM); max 255 characters', { dateFormat: 'YYYYMMDDHHMM', ...max255 }),
    f('notification_token', 'string', 'Unique token associated with this notification for deduplication or linking; max 255 characters', { ...max255, ...server }),
    f('interactor', 'string', 'The actor type that triggered this event (EG member, admin, visitor); max 255 characters', { ...max255, ...examples('member', 'admin', 'visitor') }),
    f('interactor_index', 'string', "The ID of the interacting actor (EG the member's user ID); max 255 characters", max255),
    f('interactor_ip', 'string', 'IP address of the interactor at the time of the event; max 255 characters', { ...max255, ...server }),
  ],
};

export const USERS_CLICKS: ResourceDescriptor = {
  api: 'brilliantDirectories',
  model: 'users_clicks',
  path: 'users_clicks',
  primaryKey: 'click_id',
  singular: 'profile click',
  plural: 'Users Clicks',
  canCreate: true,
  canUpdate: true,
  canDelete: true,
  orderField: 'click_id',
  label: userClickLabel,
  row: userClickRow,
  tooltipFields: ['click_id', 'user_id', 'click_type', 'click_name', 'date_clicked', 'click_url', 'click_from', 'click_ip'],
  fields: [
    f('click_id', 'integer', 'Unique click ID (primary key, read-only)', { readOnly: true }),
    f('user_id', 'integer', 'ID of the member profile that was clicked', { requiredOnCreate: true }),
    f('click_type', 'string', 'Type of click (e.g. link, phone, email)', { requiredOnCreate: true, ...examples('link', 'phone', 'email') }),
    f('click_name', 'string', 'Name/label of the clicked element', { requiredOnCreate: true }),
    f('click_from', 'string', 'Page where the click originated (e.g. profile_page, search_results)', { requiredOnCreate: true, ...examples('profile_page', 'search_results') }),
    f('click_url', 'text', 'Full URL that was clicked', { requiredOnCreate: true }),
    f('click_ip', 'string', "Visitor's IP address", server),
    f('visitor_token', 'string', 'Unique token identifying the visitor session', server),
    f('click_token', 'string', 'Unique token for this click event', server),
    f('date_clicked', 'string', 'Click timestamp (format: YYYYMMDDHHmmss)', { dateFormat: 'YYYYMMDDHHmmss' }),
    f('post_id', 'integer', 'Related post ID if click was on a listing or post'),
    f('is_single_post', 'integer', '1 if post_id is a single post; 0 if an album group', values({ 1: 'a single post', 0: 'an album group' })),
  ],
};

export const COPERNICA_CLICKS: ResourceDescriptor = {
  api: 'copernica',
  model: 'ms_clicks',
  path: 'ms/clicks',
  primaryKey: 'ID',
  singular: 'click',
  plural: 'Clicks',
  canCreate: false,
  canUpdate: false,
  canDelete: false,
  orderField: 'ID',
  label: copernicaClickLabel,
  row: copernicaClickRow,
  tooltipFields: ['ID', 'mailing', 'link', 'timestamp', 'destination', 'profile', 'ip', 'useragent'],
  fields: [
    f('ID', 'integer', 'The ID of the click.', { readOnly: true }),
    f('mailing', 'integer', 'The ID of the mailing.', { readOnly: true }),
    f('link', 'string', 'The link that was clicked.', { readOnly: true }),
    f('timestamp', 'timestamp', 'Timestamp of the click.', { readOnly: true, dateFormat: 'YYYY-MM-DD HH:MM:SS' }),
    f('ip', 'string', 'The IP where the click occurred from (IPv4 or IPv6).', { readOnly: true }),
    f('useragent', 'string', 'User agent string of the machine used to click.', { readOnly: true }),
    f('destination', 'integer', 'The ID of the destination that clicked the link.', { readOnly: true }),
    f('profile', 'integer', 'The ID of the profile that clicked the link (may be null).', { readOnly: true }),
    f('subprofile', 'integer', 'The ID of the subprofile that clicked the link (may be null).', { readOnly: true }),
  ],
};

export const BD_RESOURCES: readonly ResourceDescriptor[] = [CONTACTS, WEBSITE_NOTIFICATIONS, USERS_CLICKS];
export const COPERNICA_RESOURCES: readonly ResourceDescriptor[] = [COPERNICA_CLICKS];
export const ALL_RESOURCES: readonly ResourceDescriptor[] = [...BD_RESOURCES, ...COPERNICA_RESOURCES];

export function resourceFor(model: string): ResourceDescriptor | undefined {
  return ALL_RESOURCES.find((r) => r.model === model);
}

export function resourcesOf(kind: ApiKind): readonly ResourceDescriptor[] {
  return kind === 'brilliantDirectories' ? BD_RESOURCES : COPERNICA_RESOURCES;
}

/** Fields a record may carry (not the filter-only ones). */
export function storedFields(resource: ResourceDescriptor): readonly FieldDescriptor[] {
  return resource.fields.filter((field) => !field.filterOnly);
}

export function readOnlyFieldNames(resource: ResourceDescriptor): Set<string> {
  const names = new Set(resource.fields.filter((field) => field.readOnly).map((field) => field.name));
  names.add(resource.primaryKey);
  if (resource.revisionField) names.add(resource.revisionField);
  return names;
}

export function requiredOnCreate(resource: ResourceDescriptor): readonly string[] {
  return resource.fields.filter((field) => field.requiredOnCreate).map((field) => field.name);
}

/** The fields a person sets on a new record, required ones first: no key, read-only or server-managed field. */
export function createFields(resource: ResourceDescriptor): readonly FieldDescriptor[] {
  const readOnly = readOnlyFieldNames(resource);
  const fields = storedFields(resource).filter((field) => !readOnly.has(field.name) && !field.serverManaged);
  return [...fields.filter((field) => field.requiredOnCreate), ...fields.filter((field) => !field.requiredOnCreate)];
}
