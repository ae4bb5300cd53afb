// Schemas, deterministic seed data and the in-memory store behind the sandbox.
// Field names and order follow the vendor tables in shared/spec/seeds exactly,
// because clients (and their snapshots) depend on them.

export type BdModelName = 'contacts' | 'website_notifications' | 'users_clicks';
export type ModelName = BdModelName | 'copernica_clicks';
export type FieldValue = string | null;
export type StoredRecord = Record<string, FieldValue>;

/**
 * How a date column is stored. Filters compare date columns as these stored strings
 * (lt/gt/… with another form give wrong rows), and the calendar operators parse them.
 */
export type DateFormat = 'ymdhis14' | 'ymdhi12' | 'datetime';

export interface ModelSchema {
  readonly name: ModelName;
  readonly pk: string;
  /** The columns the vendor tables list, in their order. */
  readonly fields: readonly string[];
  /**
   * Custom columns: real columns of this site's table that the vendor tables don't list
   * (live sites add their own). get/list, create, update, filters and order treat them like
   * any column; a record carries the key only once it has a value (null included), after
   * the listed fields, so most records don't show them at all.
   */
  readonly extraFields: readonly string[];
  /** Integer columns (per the vendor tables): filters compare them as numbers, like a MySQL int column. */
  readonly intFields: readonly string[];
  /** Required (non-empty) on create. */
  readonly required: readonly string[];
  /** Accepted as filter columns but not stored (contacts: cid, after, bucket). */
  readonly virtualFields: readonly string[];
  readonly dateFields: Readonly<Record<string, DateFormat>>;
  /** Auto-managed `YYYY-MM-DD HH:MM:SS` column, bumped on every real change. */
  readonly revisionField: string | null;
  /** `YYYYMMDDHHmmss` column bumped together with the revision column. */
  readonly updatedField: string | null;
  /** `YYYYMMDDHHmmss` column set on create when the client did not send it. */
  readonly createdField: string | null;
}

const CONTACT_FIELDS = [
  'contact_id', 'first_name', 'last_name', 'email', 'company', 'phone_number', 'fax_number',
  'address1', 'address2', 'city', 'zip_code', 'state_code', 'country_code', 'website', 'twitter',
  'facebook', 'linkedin', 'blog', 'active', 'token', 'position', 'profession', 'dob', 'date_created',
  'created_by', 'date_updated', 'updated_by', 'rel_db', 'rel_id', 'additional', 'additional_fields',
  'ip', 'revision_timestamp', 'user_consent',
] as const;

const NOTIFICATION_FIELDS = [
  'notification_id', 'notification_status', 'notification_title', 'notification_message',
  'notification_category', 'notification_sub_category', 'notification_view', 'notification_table',
  'notification_table_index', 'notification_table_index_value', 'notification_date',
  'notification_token', 'interactor', 'interactor_index', 'interactor_ip',
] as const;

const CLICK_FIELDS = [
  'click_id', 'user_id', 'click_type', 'click_name', 'click_from', 'click_url', 'click_ip',
  'visitor_token', 'click_token', 'date_clicked', 'post_id', 'is_single_post',
] as const;

const COPERNICA_FIELDS = [
  'ID', 'mailing', 'link', 'timestamp', 'ip', 'useragent', 'destination', 'profile', 'subprofile',
] as const;

export const SCHEMAS: Readonly<Record<ModelName, ModelSchema>> = Object.freeze({
  contacts: {
    name: 'contacts',
    pk: 'contact_id',
    fields: CONTACT_FIELDS,
    extraFields: ['custom_status', 'member_tier'],
    intFields: ['contact_id', 'active', 'rel_id'],
    required: [],
    virtualFields: ['cid', 'after', 'bucket'],
    dateFields: { date_created: 'ymdhis14', date_updated: 'ymdhis14', revision_timestamp: 'datetime' },
    revisionField: 'revision_timestamp',
    updatedField: 'date_updated',
    createdField: 'date_created',
  },
  website_notifications: {
    name: 'website_notifications',
    pk: 'notification_id',
    fields: NOTIFICATION_FIELDS,
    extraFields: ['notification_priority'],
    intFields: ['notification_id', 'notification_status', 'notification_category', 'notification_sub_category', 'notification_view'],
    required: ['notification_status', 'notification_title', 'notification_message'],
    virtualFields: [],
    dateFields: { notification_date: 'ymdhi12' },
    revisionField: null,
    updatedField: null,
    createdField: null,
  },
  users_clicks: {
    name: 'users_clicks',
    pk: 'click_id',
    fields: CLICK_FIELDS,
    extraFields: [],
    intFields: ['click_id', 'user_id', 'post_id', 'is_single_post'],
    required: ['user_id', 'click_type', 'click_name', 'click_from', 'click_url'],
    virtualFields: [],
    dateFields: { date_clicked: 'ymdhis14' },
    revisionField: null,
    updatedField: null,
    createdField: null,
  },
  copernica_clicks: {
    name: 'copernica_clicks',
    pk: 'ID',
    fields: COPERNICA_FIELDS,
    extraFields: [],
    intFields: [],
    required: [],
    virtualFields: [],
    dateFields: { timestamp: 'datetime' },
    revisionField: null,
    updatedField: null,
    createdField: null,
  },
});

export const BD_MODELS: readonly BdModelName[] = ['contacts', 'website_notifications', 'users_clicks'];
export const ALL_MODELS: readonly ModelName[] = [...BD_MODELS, 'copernica_clicks'];

/** Every column of the site's table: the listed fields, then the custom ones. */
export function tableColumns(schema: ModelSchema): readonly string[] {
  return schema.extraFields.length ? [...schema.fields, ...schema.extraFields] : schema.fields;
}

export function isModelName(name: string): name is ModelName {
  return (ALL_MODELS as readonly string[]).includes(name);
}

export function isBdModelName(name: string): name is BdModelName {
  return (BD_MODELS as readonly string[]).includes(name);
}

// ---------------------------------------------------------------------------
// Date helpers (UTC wall clock: stored values carry no zone, like the vendor's).

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function formatYmdHis14(d: Date): string {
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

export function formatYmdHi12(d: Date): string {
  return formatYmdHis14(d).slice(0, 12);
}

export function formatDateTime(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export function formatStoredDate(format: DateFormat, d: Date): string {
  return format === 'ymdhis14' ? formatYmdHis14(d) : format === 'ymdhi12' ? formatYmdHi12(d) : formatDateTime(d);
}

/**
 * An instant for the sandbox clock: `YYYY-MM-DD HH:MM:SS` (UTC, as BD's revision_timestamp),
 * also with a `T` separator and an optional `Z`. Returns ms since the epoch, or null when the
 * text is not such an instant or not a real calendar time.
 */
export function parseClockInstant(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})Z?$/.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return formatDateTime(new Date(ms)) === `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}` ? ms : null;
}

/** Parses any of the stored date shapes (14/12/8 digits, `YYYY-MM-DD[ HH:MM[:SS]]`) as UTC. */
export function parseStoredDate(value: string): Date | null {
  let m = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$/.exec(value);
  if (!m) m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

// ---------------------------------------------------------------------------
// Deterministic generation.

/** mulberry32: tiny, fast, good enough for fixtures and fault injection. */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, used for the stable "not by primary key" default list order. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

interface Gen {
  rnd: () => number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  hex(len: number): string;
}

function makeGen(seed: number): Gen {
  const rnd = makeRng(seed);
  return {
    rnd,
    int: (min, max) => min + Math.floor(rnd() * (max - min + 1)),
    pick: (items) => items[Math.floor(rnd() * items.length)],
    chance: (p) => rnd() < p,
    hex: (len) => {
      let out = '';
      for (let i = 0; i < len; i += 8) out += ((rnd() * 4294967296) >>> 0).toString(16).padStart(8, '0');
      return out.length === len ? out : out.slice(0, len);
    },
  };
}

// Documentation / private-looking ranges so nothing real is referenced.
// [prefix, octets still to add]
const IPV4_PREFIXES: readonly (readonly [string, number])[] = [['203.0.113.', 1], ['198.51.100.', 1], ['192.0.2.', 1], ['10.14.', 2], ['172.16.', 2]];

function ipv4(g: Gen): string {
  const [prefix, missing] = g.pick(IPV4_PREFIXES);
  return missing === 1 ? `${prefix}${g.int(1, 254)}` : `${prefix}${g.int(0, 254)}.${g.int(1, 254)}`;
}

function ipv6(g: Gen): string {
  return `2001:db8:${g.int(0, 0xffff).toString(16)}:${g.int(0, 0xffff).toString(16)}::${g.int(1, 0xfff).toString(16)}`;
}

function withHandles(names: readonly (readonly [string, string])[]): readonly (readonly [string, string])[] {
  return Object.freeze(names.map(([name, handle]) => Object.freeze([name, handle || asciiFold(name)] as const)));
}

/** ASCII handle for e-mails and URLs ("Łukasz Żółć" → "lukasz.zolc"). */
function asciiFold(text: string): string {
  const special: Record<string, string> = { ł: 'l', Ł: 'L', ø: 'o', Ø: 'O', ß: 'ss', đ: 'd', Đ: 'D', æ: 'ae', Æ: 'AE', ð: 'd', þ: 'th' };
  return text
    .replace(/[łŁøØßđĐæÆðþ]/g, (c) => special[c] ?? c)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

// [display, ascii-handle] — an explicit handle covers scripts asciiFold cannot (CJK);
// empty handles are filled in once by withHandles below.
const FIRST_NAMES: readonly (readonly [string, string])[] = withHandles([
  ['James', ''], ['Mary', ''], ['Robert', ''], ['Patricia', ''], ['Michael', ''], ['Linda', ''],
  ['David', ''], ['Elizabeth', ''], ['William', ''], ['Barbara', ''], ['Richard', ''], ['Susan', ''],
  ['Joseph', ''], ['Jessica', ''], ['Thomas', ''], ['Sarah', ''], ['Charles', ''], ['Karen', ''],
  ['Daniel', ''], ['Nancy', ''], ['Matthew', ''], ['Lisa', ''], ['Anthony', ''], ['Betty', ''],
  ['Mark', ''], ['Sandra', ''], ['Steven', ''], ['Ashley', ''], ['Andrew', ''], ['Emily', ''],
  ['José', ''], ['María', ''], ['Zoë', ''], ['Łukasz', ''], ['Søren', ''], ['François', ''],
  ['Ólafur', ''], ['Björn', ''], ['Chloé', ''], ['Renée', ''], ['Jürgen', ''], ['Ångström', ''],
  ['Siobhán', ''], ['Nuño', ''], ['Małgorzata', ''], ['Thảo', ''], ['太郎', 'taro'], ['花子', 'hanako'],
  ['Priya', ''], ['Aarav', ''], ['Mohammed', ''], ['Fatima', ''], ['Olusegun', ''], ['Chiara', ''],
  ["D'Angelo", ''], ['Mary-Kate', ''], ['Wei', ''], ['Sofía', ''], ['Inés', ''], ['Kateřina', ''],
]);

const LAST_NAMES: readonly (readonly [string, string])[] = withHandles([
  ['Smith', ''], ['Johnson', ''], ['Williams', ''], ['Brown', ''], ['Jones', ''], ['Garcia', ''],
  ['Miller', ''], ['Davis', ''], ['Rodriguez', ''], ['Martinez', ''], ['Hernandez', ''], ['Lopez', ''],
  ['Wilson', ''], ['Anderson', ''], ['Taylor', ''], ['Moore', ''], ['Jackson', ''], ['Martin', ''],
  ['Lee', ''], ['Thompson', ''], ['White', ''], ['Harris', ''], ['Clark', ''], ['Lewis', ''],
  ['Álvarez', ''], ['Brontë', ''], ['Żółć', ''], ['Kierkegård', ''], ['Müller', ''], ['Lefèvre', ''],
  ['Nguyễn', ''], ['Trần', ''], ['Gonçalves', ''], ['Ó Briain', ''], ["O'Connor", ''], ['Van der Berg', ''],
  ['Dvořák', ''], ['Søndergaard', ''], ['Straße', ''], ['Jóhannsdóttir', ''], ['山田', 'yamada'],
  ['佐藤', 'sato'], ['Patel', ''], ['Okafor', ''], ['Rossi', ''], ['Kowalski', ''], ['Nakamura', ''],
  ['Schmidt', ''], ['Dubois', ''], ['Fernández', ''], ['Zhang', ''], ['Novák', ''], ['Smith-Jones', ''],
]);

interface Place {
  readonly city: string;
  readonly state: string;
  readonly country: string;
  readonly zips: readonly string[];
  readonly phone: (g: Gen) => string;
}

const usPhone = (area: string) => (g: Gen) =>
  g.pick([`${area}-555-${pad(g.int(100, 199), 4)}`, `(${area}) 555-${pad(g.int(100, 199), 4)}`, `+1 ${area} 555 ${pad(g.int(100, 199), 4)}`]);

const PLACES: readonly Place[] = [
  { city: 'Boston', state: 'MA', country: 'US', zips: ['02134', '02108', '02116'], phone: usPhone('617') },
  { city: 'Providence', state: 'RI', country: 'US', zips: ['02903', '02906'], phone: usPhone('401') },
  { city: 'Newark', state: 'NJ', country: 'US', zips: ['07102', '07104'], phone: usPhone('973') },
  { city: 'Hartford', state: 'CT', country: 'US', zips: ['06103', '06106'], phone: usPhone('860') },
  { city: 'Burlington', state: 'VT', country: 'US', zips: ['05401'], phone: usPhone('802') },
  { city: 'Portland', state: 'ME', country: 'US', zips: ['04101'], phone: usPhone('207') },
  { city: 'Miami', state: 'FL', country: 'US', zips: ['33101', '33130', '33139'], phone: usPhone('305') },
  { city: 'Orlando', state: 'FL', country: 'US', zips: ['32801', '32803'], phone: usPhone('407') },
  { city: 'Austin', state: 'TX', country: 'US', zips: ['73301', '78701'], phone: usPhone('512') },
  { city: 'Seattle', state: 'WA', country: 'US', zips: ['98101', '98109'], phone: usPhone('206') },
  { city: 'Denver', state: 'CO', country: 'US', zips: ['80202'], phone: usPhone('303') },
  { city: 'Chicago', state: 'IL', country: 'US', zips: ['60601', '60614'], phone: usPhone('312') },
  { city: 'New York', state: 'NY', country: 'US', zips: ['10001', '10013', '10027'], phone: usPhone('212') },
  { city: 'San Francisco', state: 'CA', country: 'US', zips: ['94103', '94110'], phone: usPhone('415') },
  { city: 'Los Angeles', state: 'CA', country: 'US', zips: ['90012', '90028'], phone: usPhone('213') },
  { city: 'Toronto', state: 'ON', country: 'CA', zips: ['M5V 2T6', 'M4W 1A8'], phone: usPhone('416') },
  { city: 'Montréal', state: 'QC', country: 'CA', zips: ['H2X 1Y4'], phone: usPhone('514') },
  { city: 'London', state: '', country: 'GB', zips: ['EC1A 1BB', 'SW1A 2AA'], phone: (g) => `+44 20 7946 ${pad(g.int(0, 999), 4)}` },
  { city: 'Haworth', state: '', country: 'GB', zips: ['BD22 8DR'], phone: (g) => `+44 1535 64${pad(g.int(0, 9999), 4)}` },
  { city: 'Berlin', state: 'BE', country: 'DE', zips: ['10115', '10999'], phone: (g) => `+49 30 ${g.int(1000000, 9999999)}` },
  { city: 'München', state: 'BY', country: 'DE', zips: ['80331', '80469'], phone: (g) => `+49 89 ${g.int(1000000, 9999999)}` },
  { city: 'Paris', state: '', country: 'FR', zips: ['75001', '75011'], phone: (g) => `+33 1 ${g.int(10, 99)} ${g.int(10, 99)} ${g.int(10, 99)} ${g.int(10, 99)}` },
  { city: 'Madrid', state: 'M', country: 'ES', zips: ['28001', '28013'], phone: (g) => `+34 91 ${g.int(100, 999)} ${g.int(10, 99)} ${g.int(10, 99)}` },
  { city: 'Kraków', state: 'MA', country: 'PL', zips: ['30-001', '31-042'], phone: (g) => `+48 12 ${g.int(100, 999)} ${g.int(10, 99)} ${g.int(10, 99)}` },
  { city: 'København', state: '', country: 'DK', zips: ['1050', '2100'], phone: (g) => `+45 ${g.int(10, 99)} ${g.int(10, 99)} ${g.int(10, 99)} ${g.int(10, 99)}` },
  { city: 'Reykjavík', state: '', country: 'IS', zips: ['101', '105'], phone: (g) => `+354 ${g.int(500, 599)} ${g.int(1000, 9999)}` },
  { city: 'Hà Nội', state: '', country: 'VN', zips: ['100000'], phone: (g) => `+84 24 ${g.int(1000, 9999)} ${g.int(1000, 9999)}` },
  { city: '東京', state: '13', country: 'JP', zips: ['100-0001', '150-0002'], phone: (g) => `+81 3-${g.int(1000, 9999)}-${g.int(1000, 9999)}` },
  { city: 'São Paulo', state: 'SP', country: 'BR', zips: ['01310-100', '04538-133'], phone: (g) => `+55 11 ${g.int(1000, 9999)}-${g.int(1000, 9999)}` },
  { city: 'Zürich', state: 'ZH', country: 'CH', zips: ['8001', '8004'], phone: (g) => `+41 44 ${g.int(100, 999)} ${g.int(10, 99)} ${g.int(10, 99)}` },
  { city: 'Dublin', state: '', country: 'IE', zips: ['D02 X285', 'D08 VF8H'], phone: (g) => `+353 1 ${g.int(100, 999)} ${g.int(1000, 9999)}` },
];

const COMPANIES: readonly string[] = [
  'Acme Corp', 'Globex LLC', 'Initech', 'Umbrella Health', 'Stark Industries', 'Wayne Enterprises',
  'Blue Harbor Realty', 'Northwind Traders', 'Contoso Ltd', 'Fabrikam, Inc.', 'Müller & Söhne GmbH',
  'Café Lumière SARL', 'Søndergaard ApS', 'Álvarez y Asociados', 'Kraków Dental Sp. z o.o.',
  '山田商事株式会社', 'Brightside Plumbing', 'Green Valley Vets', 'Summit Law Group', 'Pixel & Pine Studio',
  'O\'Connor Roofing', 'Sunrise Yoga', 'Lakeside Family Dentistry', 'Quantum Accounting', 'Harbor Lights B&B',
];

const POSITIONS: readonly string[] = ['Manager', 'Owner', 'Director', 'Office Manager', 'CEO', 'Associate', 'Partner', 'Consultant', 'Receptionist', 'VP Sales'];
const PROFESSIONS: readonly string[] = ['Dentist', 'Attorney', 'Real Estate', 'Plumbing', 'Veterinary', 'Accounting', 'Photography', 'Fitness', 'Hospitality', 'Marketing'];
const STREETS: readonly string[] = ['Main St', 'Oak Ave', 'Maple Dr', 'Elm St', 'Harbor Blvd', 'Rue de Rivoli', 'Calle Mayor', 'Hauptstraße', 'ul. Floriańska', 'Strøget', 'High Street', 'Sunset Blvd'];

const JANE_SMITH: StoredRecord = {
  contact_id: '1', first_name: 'Jane', last_name: 'Smith', email: 'jane@example.com', company: 'Acme Corp',
  phone_number: '555-123-4567', fax_number: null, address1: '123 Main St', address2: null, city: 'Miami',
  zip_code: '33101', state_code: 'FL', country_code: 'US', website: 'https://example.com', twitter: null,
  facebook: null, linkedin: null, blog: '', active: '1', token: '', position: 'Manager', profession: '',
  dob: '', date_created: '20240301120000', created_by: 'Website', date_updated: '20240301120000',
  updated_by: 'Website', rel_db: '', rel_id: '0', additional: '', additional_fields: '', ip: '',
  revision_timestamp: '2024-03-01 12:00:00', user_consent: '',
};

// Hand-picked early contacts so the awkward cases are always present at known ids.
const FIXED_PEOPLE: readonly (readonly [string, string, string | null, number])[] = [
  // first, last, email (null = none), place index
  ['José', 'Álvarez', 'jose.alvarez@example.es', 22],
  ['Zoë', 'Brontë', 'zoe.bronte@example.co.uk', 18],
  ['Łukasz', 'Żółć', 'lukasz.zolc@example.pl', 23],
  ['Søren', 'Kierkegård', 'soren@example.dk', 24],
  ['Anna', 'Müller', 'anna.mueller@example.de', 20],
  ['François', 'Lefèvre', 'francois.lefevre@example.fr', 21],
  ['An', 'Nguyễn', 'an.nguyen@example.vn', 26],
  ['太郎', '山田', 'taro.yamada@example.jp', 27],
  ['Ólafur', 'Jóhannsson', 'olafur@example.is', 25],
  ['', '', 'info@blueharbor.example.com', 6], // company-only contact, no name
  ['Marcus', 'Webb', null, 0], // no e-mail at all
  ['', 'Okafor', 'okafor@example.com', 12], // last name only
  ['Priya', '', '', 1], // first name only, empty (not null) e-mail
];

function contactRecord(g: Gen, id: number): StoredRecord {
  const fixed = FIXED_PEOPLE[id - 2];
  let first: string;
  let last: string;
  let email: string | null;
  let place: Place;
  if (fixed) {
    [first, last, email] = fixed;
    place = PLACES[fixed[3]];
  } else {
    const [f, fAscii] = g.pick(FIRST_NAMES);
    const [l, lAscii] = g.pick(LAST_NAMES);
    first = g.chance(0.02) ? '' : f;
    last = g.chance(0.02) ? '' : l;
    place = g.pick(PLACES);
    const handle = [fAscii, lAscii].filter(Boolean).join(g.pick(['.', '', '_']));
    const domain = g.pick(['example.com', 'example.org', 'example.net', 'mail.example.com']);
    email = g.chance(0.04) ? null : g.chance(0.03) ? '' : `${handle}${g.chance(0.2) ? g.int(1, 99) : ''}@${domain}`;
  }
  const created = Date.UTC(2019, 0, 1) + Math.floor(g.rnd() * (Date.UTC(2025, 5, 1) - Date.UTC(2019, 0, 1)));
  // Kept before Oct 2025 so a live edit always moves revision_timestamp forward.
  const cap = Date.UTC(2025, 8, 30);
  let updated = g.chance(0.4) ? created : created + g.int(60, 400 * 86400) * 1000;
  if (updated > cap) updated = cap - g.int(0, 90 * 86400) * 1000;
  const createdAt = new Date(Math.floor(created / 1000) * 1000);
  const updatedAt = new Date(Math.floor(updated / 1000) * 1000);
  const company = g.chance(0.7) ? g.pick(COMPANIES) : g.chance(0.5) ? '' : null;
  const handle = asciiFold(`${first}${last}`) || 'contact';
  return {
    contact_id: String(id),
    first_name: first,
    last_name: last,
    email,
    company: fixed && first === '' && last === '' ? 'Blue Harbor Realty' : company,
    phone_number: g.chance(0.9) ? place.phone(g) : g.chance(0.5) ? '' : null,
    fax_number: g.chance(0.1) ? place.phone(g) : null,
    address1: g.chance(0.85) ? `${g.int(1, 9999)} ${g.pick(STREETS)}` : null,
    address2: g.chance(0.2) ? g.pick(['Suite 200', 'Apt 4B', 'Floor 3', '2º izq.', 'c/o Reception']) : null,
    city: place.city,
    zip_code: g.pick(place.zips),
    state_code: place.state,
    country_code: place.country,
    website: g.chance(0.5) ? `https://www.${handle}.example.com` : g.chance(0.5) ? '' : null,
    twitter: g.chance(0.2) ? `@${handle.slice(0, 14)}` : null,
    facebook: g.chance(0.2) ? `https://www.facebook.com/${handle}` : null,
    linkedin: g.chance(0.25) ? `https://www.linkedin.com/in/${handle}` : null,
    blog: g.chance(0.1) ? `https://blog.example.com/${handle}` : g.chance(0.8) ? '' : null,
    active: g.chance(0.88) ? '1' : '0',
    token: g.chance(0.6) ? g.hex(32) : '',
    position: g.chance(0.6) ? g.pick(POSITIONS) : '',
    profession: g.chance(0.5) ? g.pick(PROFESSIONS) : '',
    dob: g.chance(0.15) ? `${g.int(1950, 2002)}-${pad(g.int(1, 12))}-${pad(g.int(1, 28))}` : g.chance(0.7) ? '' : null,
    date_created: formatYmdHis14(createdAt),
    created_by: g.pick(['Website', 'Website', 'admin', 'Import', 'API']),
    date_updated: formatYmdHis14(updatedAt),
    updated_by: g.pick(['Website', 'admin', 'API']),
    rel_db: g.chance(0.15) ? 'users_data' : '',
    rel_id: g.chance(0.15) ? String(g.int(1, 500)) : '0',
    additional: g.chance(0.1) ? g.pick(['Met at the 2023 expo.', 'Prefers e-mail — no calls before 10am.', 'VIP', 'Referred by José']) : '',
    additional_fields: g.chance(0.15) ? JSON.stringify({ source: g.pick(['import', 'form', 'referral']), newsletter: g.pick(['yes', 'no']) }) : '',
    ip: g.chance(0.3) ? (g.chance(0.8) ? ipv4(g) : ipv6(g)) : '',
    revision_timestamp: formatDateTime(updatedAt),
    user_consent: g.chance(0.3) ? `Agreed to privacy policy on ${formatDateTime(createdAt).slice(0, 10)}` : '',
  };
}

const NOTIFICATION_SEED: StoredRecord = {
  notification_id: '1', notification_status: '4', notification_title: 'na',
  notification_message: 'member@example.com saved a post - Example Post Title', notification_category: '0',
  notification_sub_category: '38', notification_view: '0', notification_table: 'users_portfolio_groups',
  notification_table_index: 'group_id', notification_table_index_value: '4032', notification_date: '202205050704',
  notification_token: '717c047f106e6e20fb6199d8fec51b3b', interactor: 'member', interactor_index: '175',
  interactor_ip: '203.0.113.45',
};

interface NotificationKind {
  readonly title: string;
  readonly message: (who: string, g: Gen) => string;
  readonly category: string;
  readonly sub: string;
  readonly table: string;
  readonly index: string;
  readonly interactor: string;
}

const POST_TITLES: readonly string[] = [
  'Example Post Title', 'Spring Open House', '10 Tips for a Healthy Smile', 'Grand Opening — Café Lumière',
  'Summer Hours', 'Meet Our New Associate', 'Winterizing Your Pipes', 'Résumé Workshop', 'Black Friday Deals',
];

const NOTIFICATION_KINDS: readonly NotificationKind[] = [
  { title: 'na', message: (w, g) => `${w} saved a post - ${g.pick(POST_TITLES)}`, category: '0', sub: '38', table: 'users_portfolio_groups', index: 'group_id', interactor: 'member' },
  { title: 'New Member Signup', message: (w) => `${w} joined as a new member.`, category: '0', sub: '0', table: 'user', index: 'user_id', interactor: 'member' },
  { title: 'Profile Updated', message: (w) => `${w} updated their profile`, category: '0', sub: '5', table: 'user', index: 'user_id', interactor: 'member' },
  { title: 'Password Reset Requested', message: (w) => `${w} requested a password reset`, category: '0', sub: '7', table: 'user', index: 'user_id', interactor: 'member' },
  { title: 'Post Published', message: (w, g) => `${w} published “${g.pick(POST_TITLES)}”`, category: '0', sub: '31', table: 'data_posts', index: 'post_id', interactor: 'member' },
  { title: 'New Lead', message: (w, g) => `New lead from ${w} for ${g.pick(PROFESSIONS)}`, category: '2', sub: '12', table: 'leads', index: 'lead_id', interactor: 'visitor' },
  { title: 'New Review', message: (w, g) => `${w} left a ${g.int(1, 5)}-star review`, category: '3', sub: '21', table: 'users_reviews', index: 'review_id', interactor: 'visitor' },
  { title: 'Membership Upgraded', message: (w, g) => `${w} upgraded to ${g.pick(['Gold', 'Silver', 'Platinum'])} membership`, category: '1', sub: '14', table: 'user', index: 'user_id', interactor: 'member' },
  { title: 'Member Removed', message: (_w, g) => `admin removed member #${g.int(1, 900)}`, category: '4', sub: '9', table: 'user', index: 'user_id', interactor: 'admin' },
  { title: 'Admin Login', message: (_w, g) => `admin logged in from ${ipv4(g)}`, category: '4', sub: '2', table: 'admin', index: 'admin_id', interactor: 'admin' },
];

function whoLabel(g: Gen): string {
  if (g.chance(0.75)) {
    return `${g.pick(FIRST_NAMES)[1]}.${g.pick(LAST_NAMES)[1]}@example.com`;
  }
  return `${g.pick(FIRST_NAMES)[0]} ${g.pick(LAST_NAMES)[0]}`;
}

function notificationRecords(g: Gen, count: number): StoredRecord[] {
  const out: StoredRecord[] = [{ ...NOTIFICATION_SEED }];
  let t = Date.UTC(2022, 4, 5, 7, 4);
  for (let id = 2; id <= count; id++) {
    t += g.int(0, 300) * 60000; // about nine events a day, ending late 2025
    const kind = g.pick(NOTIFICATION_KINDS);
    const actor = String(g.int(1, 900));
    const ipRoll = g.rnd();
    out.push({
      notification_id: String(id),
      notification_status: g.chance(0.35) ? '4' : '1',
      notification_title: kind.title,
      notification_message: kind.message(whoLabel(g), g),
      notification_category: kind.category,
      notification_sub_category: kind.sub,
      notification_view: g.chance(0.6) ? '1' : '0',
      notification_table: kind.table,
      notification_table_index: kind.index,
      notification_table_index_value: kind.index === 'user_id' ? actor : String(g.int(1, 9000)),
      notification_date: formatYmdHi12(new Date(t)),
      notification_token: g.chance(0.95) ? g.hex(32) : g.chance(0.5) ? '' : null,
      interactor: kind.interactor,
      interactor_index: kind.interactor === 'visitor' ? '0' : actor,
      interactor_ip: ipRoll < 0.8 ? ipv4(g) : ipRoll < 0.9 ? ipv6(g) : ipRoll < 0.95 ? '' : null,
    });
  }
  return out;
}

// --- Clicks: realistic shape (issue 12). Days in UTC; a weekly and a daily rhythm, a long tail
// of members and links, visitors and recipients who come back. Fixed seeds: same data every run.

const DAY_MS_SEED = 86_400_000;
/** Relative clicks per weekday, Sunday first: busier on weekdays, quiet at weekends. */
const WEEKDAY_WEIGHT: readonly number[] = [0.5, 1.1, 1.25, 1.2, 1.1, 0.95, 0.55];
/** Relative clicks per UTC hour: few at night, most in office hours, a second bump in the evening. */
const HOUR_WEIGHT: readonly number[] = [0.2, 0.12, 0.1, 0.1, 0.15, 0.3, 0.6, 1, 1.4, 1.6, 1.7, 1.6, 1.5, 1.6, 1.7, 1.6, 1.5, 1.3, 1.2, 1.25, 1.15, 0.9, 0.6, 0.35];

/** Running sums of `weights`, for picking an index with pickCumulative. */
function cumulative(weights: readonly number[]): number[] {
  let sum = 0;
  return weights.map((w) => (sum += w));
}

/** An index drawn with probability proportional to its weight (binary search over the running sums). */
function pickCumulative(g: Gen, sums: readonly number[]): number {
  const x = g.rnd() * sums[sums.length - 1];
  let lo = 0;
  let hi = sums.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sums[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Zipf-like weights 1/(rank+1)^s: a few favourites and a long tail. */
function zipfWeights(n: number, s: number): number[] {
  return Array.from({ length: n }, (_, rank) => 1 / Math.pow(rank + 1, s));
}

/**
 * How many of `count` clicks fall on each of `days` days from `startMs`: weekday rhythm, a slow
 * growth over the period and day-to-day noise; the shares are rounded so they add up to `count`.
 */
function clicksPerDay(g: Gen, startMs: number, days: number, count: number): number[] {
  const weights = Array.from({ length: days }, (_, d) => {
    const weekday = new Date(startMs + d * DAY_MS_SEED).getUTCDay();
    return WEEKDAY_WEIGHT[weekday] * (0.7 + (0.6 * d) / days) * (0.6 + 0.8 * g.rnd());
  });
  const sums = cumulative(weights);
  const total = sums[sums.length - 1];
  return sums.map((s, d) => Math.round((count * s) / total) - (d === 0 ? 0 : Math.round((count * sums[d - 1]) / total)));
}

/** A second of the day (UTC), drawn with the daily rhythm. */
function secondOfDay(g: Gen, hours: readonly number[]): number {
  return pickCumulative(g, hours) * 3600 + g.int(0, 3599);
}

const CLICK_FROM_SUMS = cumulative([62, 30, 5, 3]);
const CLICK_FROMS: readonly string[] = ['profile_page', 'search_results', 'featured_members', 'map_view'];

function clickTarget(g: Gen, type: string, userId: number): [string, string] {
  return type === 'link'
    ? g.pick([
        ['Website', `https://www.member${userId}.example.com/`],
        ['Facebook', `https://www.facebook.com/member${userId}`],
        ['LinkedIn', `https://www.linkedin.com/company/member-${userId}`],
        ['Book Appointment', `https://www.member${userId}.example.com/book?ref=directory&utm_source=bd`],
      ])
    : type === 'phone'
      ? g.pick([['Phone', `tel:+1555${pad(userId, 7)}`], ['Call Now', `tel:+1-555-${pad(userId % 1000, 3)}-0100`]])
      : g.pick([['Email', `mailto:member${userId}@example.com`], ['Send Message', `mailto:info@member${userId}.example.com?subject=Directory%20enquiry`]]);
}

/** BD users_clicks from 6 Jan 2025 for 270 days; click ids rise with date_clicked. */
const BD_CLICKS_FROM = Date.UTC(2025, 0, 6);
const BD_CLICK_DAYS = 270;

/**
 * Visitors browse in sessions: a visitor (new, or one seen in the last two weeks, who often
 * comes back to the same member) clicks one member's links one or more times, minutes apart.
 * Members follow a long tail (member 42, the docs' example, is the favourite).
 */
function clickRecords(g: Gen, count: number): StoredRecord[] {
  const members = Math.max(400, Math.ceil(count / 40));
  const others = Array.from({ length: members }, (_, i) => i + 1).filter((id) => id !== 42);
  for (let i = others.length - 1; i > 0; i--) {
    const j = g.int(0, i);
    [others[i], others[j]] = [others[j], others[i]];
  }
  const byRank = [42, ...others];
  const memberSums = cumulative(zipfWeights(byRank.length, 1.05));
  const perDay = clicksPerDay(g, BD_CLICKS_FROM, BD_CLICK_DAYS, count);
  const hourSums = cumulative(HOUR_WEIGHT);
  const recent: { token: string; member: number; day: number }[] = [];
  const out: StoredRecord[] = [];
  for (let day = 0; day < BD_CLICK_DAYS; day++) {
    while (recent.length > 0 && recent[0].day < day - 14) recent.shift();
    const today: { t: number; member: number; token: string }[] = [];
    while (today.length < perDay[day]) {
      const back = recent.length > 0 && g.chance(0.3) ? recent[g.int(0, recent.length - 1)] : undefined;
      const token = back?.token ?? g.hex(32);
      const member = back && g.chance(0.6) ? back.member : byRank[pickCumulative(g, memberSums)];
      let t = BD_CLICKS_FROM + day * DAY_MS_SEED + secondOfDay(g, hourSums) * 1000;
      const dayEnd = BD_CLICKS_FROM + (day + 1) * DAY_MS_SEED;
      do {
        today.push({ t, member, token });
        t = Math.min(t + g.int(20, 900) * 1000, dayEnd - 1000);
      } while (today.length < perDay[day] && g.chance(0.3));
      recent.push({ token, member, day });
      if (recent.length > 2000) recent.shift();
    }
    today.sort((a, b) => a.t - b.t);
    for (const click of today) {
      const id = out.length + 1;
      const typeRoll = g.rnd();
      const type = typeRoll < 0.6 ? 'link' : typeRoll < 0.85 ? 'phone' : 'email';
      const from = CLICK_FROMS[pickCumulative(g, CLICK_FROM_SUMS)];
      const [name, url] = clickTarget(g, type, click.member);
      const postId = from === 'search_results' && g.chance(0.3) ? String(g.int(1, 3000)) : '0';
      out.push({
        click_id: String(id),
        user_id: String(click.member),
        click_type: type,
        click_name: name,
        click_from: from,
        click_url: url,
        click_ip: g.chance(0.75) ? ipv4(g) : ipv6(g),
        visitor_token: click.token,
        click_token: g.hex(32),
        date_clicked: formatYmdHis14(new Date(click.t)),
        post_id: postId,
        is_single_post: postId === '0' ? '0' : g.chance(0.7) ? '1' : '0',
      });
    }
  }
  return out;
}

const USER_AGENTS: readonly string[] = [
  'Mozilla/5.0 (Ubuntu; X11; Linux x86_64; rv:8.0) Gecko/20100101 Firefox/8.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36',
  'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17126; Pro)',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0',
];

const DOCS_CLICK_LINK = 'http://www.myshop.nl/promotions/customer/{$profile.customerid}';
const DOCS_CLICK_TIME = Date.UTC(2014, 9, 14, 11, 33, 22);

/** Mailings 2–9 (UTC send times, a fortnight apart on Tuesdays and Thursdays) and how well each did. */
const MAILING_SENDS: readonly (readonly [number, number, number])[] = [
  [2, Date.UTC(2014, 9, 14, 11, 30), 1.0],
  [3, Date.UTC(2014, 9, 30, 9, 0), 0.7],
  [4, Date.UTC(2014, 10, 13, 9, 0), 1.5],
  [5, Date.UTC(2014, 10, 27, 9, 0), 0.45],
  [6, Date.UTC(2014, 11, 11, 9, 0), 1.1],
  [7, Date.UTC(2015, 0, 8, 9, 0), 0.6],
  [8, Date.UTC(2015, 0, 22, 9, 0), 1.25],
  [9, Date.UTC(2015, 1, 5, 9, 0), 0.4],
];
/** Clicks arrive up to three weeks after a send, so the last (5 Feb) ends before 1 Mar 2015. */
const CLICK_WINDOW_MS = 21 * DAY_MS_SEED;

const LINK_PATHS: readonly string[] = [
  'nieuwsbrief/{m}/aanbiedingen?utm_campaign=mailing{m}', 'producten/schoenen', 'producten/jassen', 'producten/tassen',
  'producten/cadeaubonnen', 'winkels', 'blog/{m}/najaarstrends', 'klantenservice/retourneren', 'afmelden',
];

/**
 * Copernica clicks after each mailing's send: most within a day or two, tailing off over three
 * weeks, thinned by the hour and weekday rhythm. Each mailing has a few popular links and a
 * tail; recipients (destinations) often click again, the same link or another, so `unique`
 * (one click per destination per link) is well below the total. IDs rise with time; ID 1 is
 * the documentation's example.
 */
function copernicaClickRecords(g: Gen, count: number): StoredRecord[] {
  const out: StoredRecord[] = [{
    ID: '1', mailing: '2', link: DOCS_CLICK_LINK,
    timestamp: '2014-10-14 11:33:22', ip: '2a03:e280:0:1::1', useragent: USER_AGENTS[0],
    destination: '1', profile: null, subprofile: null,
  }];
  const mailingSums = cumulative(MAILING_SENDS.map(([, , appeal]) => appeal));
  const links = MAILING_SENDS.map(([m]) => [DOCS_CLICK_LINK, ...LINK_PATHS.filter(() => g.chance(0.7)).map((p) => `https://www.myshop.nl/${p.replaceAll('{m}', String(m))}`)]);
  const linkSums = links.map((l) => cumulative(zipfWeights(l.length, 1.2).map((w, i) => (i === 0 ? w * 0.5 : w))));
  const destinations = Math.max(2000, count * 3);
  const clickedBy = MAILING_SENDS.map(() => [] as { destination: number; link: string }[]);
  const hourMax = Math.max(...HOUR_WEIGHT);
  const weekdayMax = Math.max(...WEEKDAY_WEIGHT);
  const events: { t: number; mailing: number; link: string; destination: number }[] = [];
  while (events.length < count - 1) {
    const i = pickCumulative(g, mailingSums);
    const [mailing, sent] = MAILING_SENDS[i];
    let t: number;
    do {
      // Exponential delay (mean 30 h), at least 5 minutes, thinned by the daily and weekly rhythm.
      t = sent + 300_000 + Math.floor(-Math.log(1 - g.rnd()) * 30 * 3_600_000);
    } while (t >= sent + CLICK_WINDOW_MS || g.rnd() > (HOUR_WEIGHT[new Date(t).getUTCHours()] / hourMax) * (WEEKDAY_WEIGHT[new Date(t).getUTCDay()] / weekdayMax));
    const before = clickedBy[i];
    const again = before.length > 0 && g.chance(0.5) ? before[g.int(0, before.length - 1)] : undefined;
    const destination = again?.destination ?? g.int(1, destinations);
    const link = again && g.chance(0.75) ? again.link : links[i][pickCumulative(g, linkSums[i])];
    before.push({ destination, link });
    events.push({ t: Math.floor(t / 1000) * 1000, mailing, link, destination });
  }
  events.sort((a, b) => a.t - b.t);
  for (const e of events) {
    const known = e.destination % 5 !== 0;
    out.push({
      ID: String(out.length + 1),
      mailing: String(e.mailing),
      link: e.link,
      timestamp: formatDateTime(new Date(Math.max(e.t, DOCS_CLICK_TIME + 1000))),
      ip: g.chance(0.65) ? ipv4(g) : ipv6(g),
      useragent: USER_AGENTS[e.destination % USER_AGENTS.length],
      destination: String(e.destination),
      profile: known ? String(1000 + e.destination) : null,
      subprofile: known && e.destination % 5 < 3 ? String(5000 + e.destination) : null,
    });
  }
  return out;
}

/**
 * Click tables of another size, same generators and seeds (the benchmark's 25,000 BD and 25,000
 * Copernica clicks): the same shape over the same months, denser.
 */
export function generateClicks(counts: { readonly users_clicks?: number; readonly copernica_clicks?: number }): Partial<Pick<SeedData, 'users_clicks' | 'copernica_clicks'>> {
  return {
    ...(counts.users_clicks !== undefined ? { users_clicks: clickRecords(makeGen(420), counts.users_clicks) } : {}),
    ...(counts.copernica_clicks !== undefined ? { copernica_clicks: copernicaClickRecords(makeGen(335), counts.copernica_clicks) } : {}),
  };
}

export interface SeedData {
  contacts: StoredRecord[];
  website_notifications: StoredRecord[];
  users_clicks: StoredRecord[];
  copernica_clicks: StoredRecord[];
}

export const SEED_COUNTS: Readonly<Record<ModelName, number>> = Object.freeze({
  contacts: 238,
  website_notifications: 12100,
  users_clicks: 420,
  copernica_clicks: 335,
});

/**
 * Seeded values of the custom columns (SCHEMAS[model].extraFields), by id: only these
 * records carry the keys. Applied after generation, so every other value stays as it was.
 */
export const SEED_EXTRA_COLUMNS: Readonly<Partial<Record<ModelName, Readonly<Record<string, Readonly<StoredRecord>>>>>> = Object.freeze({
  contacts: {
    '15': { custom_status: 'lead', member_tier: 'gold' },
    '16': { custom_status: 'customer', member_tier: '' },
    '42': { custom_status: 'former customer', member_tier: 'platinum' },
    '120': { custom_status: 'lead', member_tier: null },
    '236': { custom_status: 'Prüfung läuft', member_tier: 'silver' },
  },
  website_notifications: {
    '2': { notification_priority: 'high' },
    '6050': { notification_priority: 'low' },
    '12099': { notification_priority: 'urgent' },
  },
});

/**
 * Same output on every call: each model has its own fixed PRNG seed. `extraNotifications` more
 * website notifications continue the same generator after the 12,100 (ids 12101…, dated on from
 * the last), for benchmarks that need a bigger table; the seed's records are unchanged.
 */
export function generateSeed(extraNotifications = 0): SeedData {
  const cg = makeGen(238);
  const contacts: StoredRecord[] = [{ ...JANE_SMITH }];
  for (let id = 2; id <= SEED_COUNTS.contacts; id++) contacts.push(contactRecord(cg, id));
  const seed: SeedData = {
    contacts,
    website_notifications: notificationRecords(makeGen(12100), SEED_COUNTS.website_notifications + extraNotifications),
    users_clicks: clickRecords(makeGen(420), SEED_COUNTS.users_clicks),
    copernica_clicks: copernicaClickRecords(makeGen(335), SEED_COUNTS.copernica_clicks),
  };
  for (const model of ALL_MODELS) {
    for (const [id, extra] of Object.entries(SEED_EXTRA_COLUMNS[model] ?? {})) Object.assign(seed[model][Number(id) - 1], extra);
  }
  return seed;
}

// ---------------------------------------------------------------------------
// Store.

interface Table {
  readonly schema: ModelSchema;
  /** Insertion-ordered by id; values are the live records. */
  readonly rows: Map<string, StoredRecord>;
  /** Like AUTO_INCREMENT: deleted ids are never reused. */
  nextId: number;
}

export type FieldInput = string | number | boolean | null;

export interface UpdateOutcome {
  record: StoredRecord;
  changed: boolean;
}

function toFieldValue(v: unknown): FieldValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new TypeError(`Field values must be string, number, boolean or null (got ${typeof v})`);
}

function normaliseId(id: string | number): string | null {
  const text = String(id);
  return /^\d+$/.test(text) ? String(Number(text)) : null;
}

/** Sets one column; a custom column the record did not carry yet is added in table order, after the listed fields. */
function setColumn(schema: ModelSchema, row: StoredRecord, field: string, value: FieldValue): void {
  const added = !(field in row);
  row[field] = value;
  if (added && schema.extraFields.includes(field)) {
    for (const e of schema.extraFields) {
      if (!(e in row)) continue;
      const v = row[e];
      delete row[e];
      row[e] = v;
    }
  }
}

/** A new row: every listed field null, the pk set. */
function blankRow(schema: ModelSchema, id: string): StoredRecord {
  const row = Object.fromEntries(schema.fields.map((f) => [f, null])) as StoredRecord;
  row[schema.pk] = id;
  return row;
}

const CLICK_LINKS: readonly string[] = [
  'http://www.myshop.nl/promotions/customer/{$profile.customerid}',
  'https://www.myshop.nl/nieuwsbrief/10/aanbiedingen?utm_campaign=mailing10',
  'https://www.myshop.nl/producten/cadeaubonnen',
  'https://www.myshop.nl/afmelden',
];

/**
 * All mutable sandbox data. Public methods (getRecord/putRecord/createRecord/deleteRecord/
 * addClicks/count/now) are for tests; the others are what the HTTP layer uses.
 */
export class SandboxStore {
  private tables = new Map<ModelName, Table>();
  /** Bumped on every mutation anywhere, so callers can cache orderings. */
  private generation = 0;
  /** Bumped only when records are added or removed (a list ordered by primary key stays in order across updates). */
  private members = 0;
  private readonly clock: () => number;

  /**
   * `clock` gives ms since the epoch (default Date.now); the sandbox passes one tests can freeze.
   * `extraNotifications`: that many website notifications beyond the seed's (see generateSeed), kept by reset().
   */
  constructor(clock: () => number = Date.now, private readonly extraNotifications = 0) {
    this.clock = clock;
    this.load();
  }

  /** Back to the seed data. */
  reset(): void {
    this.load();
  }

  /**
   * The store's clock, cut to the whole second (UTC), as BD's one-second revision_timestamp:
   * every write within one second stamps the same value.
   */
  now(): Date {
    return new Date(Math.floor(this.clock() / 1000) * 1000);
  }

  private load(): void {
    const seed = generateSeed(this.extraNotifications);
    this.tables.clear();
    this.generation++;
    this.members++;
    for (const model of ALL_MODELS) {
      const rows = new Map<string, StoredRecord>();
      for (const r of seed[model]) rows.set(r[SCHEMAS[model].pk] as string, r);
      this.tables.set(model, { schema: SCHEMAS[model], rows, nextId: seed[model].length + 1 });
    }
  }

  private table(model: string): Table {
    const t = isModelName(model) ? this.tables.get(model) : undefined;
    if (!t) throw new Error(`Unknown sandbox model "${model}" (expected one of ${ALL_MODELS.join(', ')})`);
    return t;
  }

  /** Unknown field names throw, so typos in tests surface; custom columns are fields too. */
  private checkFields(t: Table, fields: Record<string, unknown>): void {
    const known = tableColumns(t.schema);
    const unknown = Object.keys(fields).filter((f) => !known.includes(f));
    if (unknown.length) throw new Error(`Unknown field(s) for ${t.schema.name}: ${unknown.join(', ')}`);
  }

  /** A copy of the stored record, or undefined. */
  getRecord(model: ModelName, id: string | number): StoredRecord | undefined {
    const key = normaliseId(id);
    const row = key === null ? undefined : this.table(model).rows.get(key);
    return row ? { ...row } : undefined;
  }

  /**
   * Simulates someone else editing (or creating, if the id is free) a record:
   * merges `fields`, then always bumps revision_timestamp/date_updated where the
   * model has them. The pk and revision_timestamp in `fields` are ignored;
   * unknown field names throw so typos in tests surface.
   */
  putRecord(model: ModelName, id: string | number, fields: Record<string, FieldInput>): StoredRecord {
    const t = this.table(model);
    const key = normaliseId(id);
    if (key === null) throw new Error(`Record id must be a positive integer (got "${id}")`);
    this.checkFields(t, fields);
    const values = Object.entries(fields).map(([f, v]) => [f, toFieldValue(v)] as const);
    let row = t.rows.get(key);
    const now = this.now();
    if (!row) {
      row = blankRow(t.schema, key);
      if (t.schema.createdField) row[t.schema.createdField] = formatYmdHis14(now);
      t.rows.set(key, row);
      t.nextId = Math.max(t.nextId, Number(key) + 1);
      this.members++;
    }
    this.generation++;
    for (const [f, v] of values) {
      if (f === t.schema.pk || f === t.schema.revisionField) continue;
      setColumn(t.schema, row, f, v);
    }
    this.stamp(t.schema, row, now);
    return { ...row };
  }

  /**
   * Simulates a record created elsewhere (on the site itself): the next auto-increment id,
   * always above every id the table has had. `fields` as for putRecord (unknown names throw;
   * pk and revision_timestamp ignored; required fields are not enforced). Stamped as the site
   * would: revision_timestamp and date_created (contacts; date_updated stays null, as after an
   * API create), the event date of the other models (notification_date, date_clicked,
   * Copernica timestamp) when not given. Returns a copy of the stored record.
   */
  createRecord(model: ModelName, fields: Record<string, FieldInput> = {}): StoredRecord {
    const t = this.table(model);
    this.checkFields(t, fields);
    const values = Object.entries(fields).map(([f, v]) => [f, toFieldValue(v)] as const);
    const id = String(t.nextId++);
    const row = blankRow(t.schema, id);
    for (const [f, v] of values) {
      if (f === t.schema.pk || f === t.schema.revisionField) continue;
      setColumn(t.schema, row, f, v);
    }
    const now = this.now();
    for (const [f, format] of Object.entries(t.schema.dateFields)) {
      if (f === t.schema.updatedField) continue;
      if (f === t.schema.revisionField || row[f] === null) row[f] = formatStoredDate(format, now);
    }
    t.rows.set(id, row);
    this.generation++;
    this.members++;
    return { ...row };
  }

  /**
   * Appends `count` Copernica clicks made "now" (the store's clock, all in the same second),
   * with the next IDs: mailing 10, one of four links, destinations 1–60 (repeats, so `unique`
   * matters), profile null for about one in five. Deterministic per ID. Returns copies.
   */
  addClicks(count: number): StoredRecord[] {
    if (!Number.isInteger(count) || count < 1 || count > 100_000) throw new TypeError('count must be an integer 1..100000');
    const t = this.table('copernica_clicks');
    const timestamp = formatDateTime(this.now());
    const out: StoredRecord[] = [];
    for (let i = 0; i < count; i++) {
      const id = String(t.nextId++);
      const g = makeGen(Number(id) * 7919);
      const destination = g.int(1, 60);
      const known = g.chance(0.8);
      const row: StoredRecord = {
        ID: id,
        mailing: '10',
        link: g.pick(CLICK_LINKS),
        timestamp,
        ip: g.chance(0.65) ? ipv4(g) : ipv6(g),
        useragent: g.pick(USER_AGENTS),
        destination: String(destination),
        profile: known ? String(1000 + destination) : null,
        subprofile: known && g.chance(0.4) ? String(5000 + destination) : null,
      };
      t.rows.set(id, row);
      out.push({ ...row });
    }
    this.generation++;
    this.members++;
    return out;
  }

  /**
   * Replaces the click tables with `counts` clicks each, from the seed generators (the
   * benchmark's 25,000 BD and 25,000 Copernica clicks); reset() brings back the seed sizes.
   */
  seedClicks(counts: { readonly users_clicks?: number; readonly copernica_clicks?: number }): void {
    for (const [model, count] of Object.entries(counts) as [ModelName, number | undefined][]) {
      if (count !== undefined && (!Number.isInteger(count) || count < 1 || count > 1_000_000)) throw new TypeError(`${model}: count must be an integer 1..1000000`);
    }
    const generated = generateClicks(counts);
    for (const model of ['users_clicks', 'copernica_clicks'] as const) {
      const rows = generated[model];
      if (!rows) continue;
      const table = this.table(model);
      table.rows.clear();
      for (const r of rows) table.rows.set(r[table.schema.pk] as string, r);
      table.nextId = rows.length + 1;
    }
    this.generation++;
  }

  deleteRecord(model: ModelName, id: string | number): boolean {
    const key = normaliseId(id);
    const deleted = key !== null && this.table(model).rows.delete(key);
    if (deleted) {
      this.generation++;
      this.members++;
    }
    return deleted;
  }

  count(model: ModelName): number {
    return this.table(model).rows.size;
  }

  // --- used by the HTTP layer ---------------------------------------------

  /** Changes on every mutation (insert, update, put, delete, reset). */
  mutationGeneration(): number {
    return this.generation;
  }

  /** Changes when records are added or removed (insert, create, put of a new id, delete, reset), not on updates. */
  membershipGeneration(): number {
    return this.members;
  }

  /** Live records (do not mutate), in insertion order. */
  rows(model: ModelName): StoredRecord[] {
    return [...this.table(model).rows.values()];
  }

  /** Live record (do not mutate) or undefined. */
  row(model: ModelName, id: string): StoredRecord | undefined {
    const key = normaliseId(id);
    return key === null ? undefined : this.table(model).rows.get(key);
  }

  /** Inserts a new record with the next id; `values` holds table columns (custom ones included), no pk. */
  insert(model: ModelName, values: Record<string, string>): StoredRecord {
    const t = this.table(model);
    const id = String(t.nextId++);
    const row = blankRow(t.schema, id);
    for (const [f, v] of Object.entries(values)) setColumn(t.schema, row, f, v);
    if (t.schema.revisionField) {
      const now = this.now();
      this.stamp(t.schema, row, now, false);
      if (t.schema.createdField && row[t.schema.createdField] === null) row[t.schema.createdField] = formatYmdHis14(now);
    }
    t.rows.set(id, row);
    this.generation++;
    this.members++;
    return { ...row };
  }

  /** Applies changes; bumps the revision only when a value actually differs. */
  update(model: ModelName, id: string, changes: Record<string, string>): UpdateOutcome | undefined {
    const t = this.table(model);
    const row = this.row(model, id);
    if (!row) return undefined;
    let changed = false;
    for (const [f, v] of Object.entries(changes)) {
      if (row[f] !== v) {
        setColumn(t.schema, row, f, v);
        changed = true;
      }
    }
    if (changed) {
      this.stamp(t.schema, row, this.now());
      this.generation++;
    }
    return { record: { ...row }, changed };
  }

  private stamp(schema: ModelSchema, row: StoredRecord, now: Date, touchUpdated = true): void {
    if (schema.revisionField) row[schema.revisionField] = formatDateTime(now);
    if (touchUpdated && schema.updatedField) row[schema.updatedField] = formatYmdHis14(now);
  }
}
