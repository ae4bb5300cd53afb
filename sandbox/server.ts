// Local stand-in for the Brilliant Directories API v2 and Copernica `GET /v2/ms/clicks`,
// reproducing the quirks in shared/spec/API-NOTES.md so tests, benchmarks and the
// demo exercise the same edge cases as the real services. Node built-ins only.

import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  SCHEMAS,
  SandboxStore,
  fnv1a,
  formatDateTime,
  isBdModelName,
  isModelName,
  makeRng,
  parseClockInstant,
  parseStoredDate,
  tableColumns,
  type BdModelName,
  type FieldInput,
  type FieldValue,
  type ModelSchema,
  type StoredRecord,
} from './data';

export { SandboxStore } from './data';
export type { FieldInput, ModelName, StoredRecord } from './data';

export interface SandboxConfig {
  /** Per API key / token, sliding window; null = unlimited. */
  rateLimit: { requests: number; windowMs: number } | null;
  /** Added before each API reply. */
  latencyMs: number;
  /** Shares (0..1) of API requests answered 500 / dropped; decided before processing. */
  faults: { serverErrorRate: number; dropRate: number; seed?: number };
  /** Every API request gets a firewall-style HTML page with this status (echoing the request's key when `echoKey` is set). */
  htmlMode: { status: number; echoKey?: KeyEcho } | null;
  /**
   * null: the sandbox clock is the real UTC wall clock. `{ frozenAt: 'YYYY-MM-DD HH:MM:SS' }` (UTC):
   * it stands still at that second, for revision_timestamp and the other stamped dates,
   * since_days/until_days, and Copernica clicks added "now".
   */
  clock: { frozenAt: string } | null;
}

/** What a fault aimed at one request does; see FaultSpec. */
export type FaultKind = 'status' | 'drop' | 'applyThenDrop' | 'html' | 'redirect';
export const FAULT_KINDS: readonly FaultKind[] = ['status', 'drop', 'applyThenDrop', 'html', 'redirect'];

/**
 * A one-shot fault for the next `count` API requests matching `method` and `path`:
 * - `status`: an HTTP error with the BD (or, under /v2/, Copernica) error envelope; not processed.
 * - `drop`: the connection is closed without a reply; not processed.
 * - `applyThenDrop`: processed normally (a write is applied), then closed without a reply.
 * - `html`: a firewall-style HTML page; not processed.
 * - `redirect`: an empty reply with a `Location` header, as a site that moved to www; not processed.
 */
export interface FaultSpec {
  /** HTTP method, case-insensitive, or `*` for any. */
  method: string;
  /** URL path without the query, e.g. `/api/v2/contacts/get/5`: exact, or a prefix when it ends in `*` (`/api/v2/contacts/*`). */
  path: string;
  kind: FaultKind;
  /** How many matching requests it answers (default 1). */
  count?: number;
  /** How many matching requests pass untouched before it starts (default 0): e.g. the re-read after a write, not the read before it. */
  after?: number;
  /** `status`: 400..599 (default 500); `html`: 200..599 (default 403); `redirect`: 301, 302, 303, 307 or 308 (default 301). */
  status?: number;
  /** `status` only: the envelope's message (default: what BD says for that status). */
  message?: string;
  /** `redirect` only (required): the `Location` header. */
  location?: string;
  /**
   * `status` only: a `Retry-After` header. A number is seconds, sent as they are or, with
   * `retryAfterForm: 'date'`, as the HTTP-date that many seconds after the sandbox clock's now
   * (when the request is answered). A string is sent verbatim: an HTTP-date of the test's own,
   * or a malformed value.
   */
  retryAfter?: number | string;
  /** `status` only, with a numeric `retryAfter`: `seconds` (default) or `date`. */
  retryAfterForm?: 'seconds' | 'date';
  /** `status` and `html` only: the request is processed first (a write is applied), then answered with the fault, as a gateway that timed out on a write that went through. */
  apply?: boolean;
}

/** A fault still waiting: `count` is how many more matching requests it answers; `status` is filled in with its default. */
export interface PendingFault extends FaultSpec {
  id: number;
  count: number;
}

export interface SandboxClock {
  /** The sandbox's current second, `YYYY-MM-DD HH:MM:SS` (UTC). */
  now: string;
  frozen: boolean;
}

/** How the HTML page quotes the key or token the request carried; see keyEchoPage. */
export type KeyEchoEncoding = 'raw' | 'url' | 'url-lower' | 'form' | 'html' | 'html-decimal' | 'html-hex';
export const KEY_ECHO_ENCODINGS: readonly KeyEchoEncoding[] = ['raw', 'url', 'url-lower', 'form', 'html', 'html-decimal', 'html-hex'];

export interface KeyEcho {
  /** Characters into the page body where the (encoded) key begins. */
  offset: number;
  encoding: KeyEchoEncoding;
  /** The body ends this many characters into the encoded key, as a server that cut its reply. */
  cutAfter?: number;
}

export interface SandboxOptions extends Partial<SandboxConfig> {
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Website notifications beyond the seed's 12,100 (for benchmarks that need a bigger table). */
  extraNotifications?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  body: Record<string, string | string[]>;
  /** 0 when the connection was dropped without a reply. */
  status: number;
  apiKeyPresent: boolean;
  /** ms epoch, on arrival (real time, even with a frozen sandbox clock). */
  at: number;
  /** Set only when a fault aimed with addFault answered this request. */
  fault?: FaultKind;
}

export interface SandboxInfo {
  url: string;
  bdKey: string;
  bdLimitedKey: string;
  copernicaToken: string;
}

export interface Sandbox extends SandboxInfo {
  requests(): RecordedRequest[];
  clearRequests(): void;
  configure(patch: Partial<SandboxConfig>): void;
  /** Same as configure({ clock: { frozenAt } }); a Date is cut to its second. */
  freezeClock(at: string | Date): void;
  /** Same as configure({ clock: null }). */
  unfreezeClock(): void;
  clock(): SandboxClock;
  /** Validates (TypeError) and queues a fault aimed at one kind of request; returns it as stored. */
  addFault(spec: FaultSpec): PendingFault;
  /** Faults still waiting, oldest first. */
  faults(): PendingFault[];
  clearFaults(): void;
  /** Seed data, config from options, no faults, empty log and rate windows. */
  reset(): void;
  store: SandboxStore;
  close(): Promise<void>;
}

export const SANDBOX_BD_KEY = 'sandbox-bd-key';
export const SANDBOX_BD_LIMITED_KEY = 'sandbox-bd-key-limited';
export const SANDBOX_COPERNICA_TOKEN = 'sandbox-copernica-token';

const DEFAULT_FAULT_SEED = 1;
const MAX_BODY_BYTES = 1024 * 1024;

function defaultConfig(): SandboxConfig {
  return { rateLimit: null, latencyMs: 0, faults: { serverErrorRate: 0, dropRate: 0 }, htmlMode: null, clock: null };
}

function cloneConfig(c: SandboxConfig): SandboxConfig {
  return {
    rateLimit: c.rateLimit ? { ...c.rateLimit } : null,
    latencyMs: c.latencyMs,
    faults: { ...c.faults },
    htmlMode: c.htmlMode ? { ...c.htmlMode } : null,
    clock: c.clock ? { ...c.clock } : null,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isRate(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;
}

/** Validates a patch (it may come from JSON over HTTP) and returns the merged config. */
export function mergeConfig(base: SandboxConfig, patch: unknown): SandboxConfig {
  if (!isObject(patch)) throw new TypeError('config patch must be an object');
  const known = ['rateLimit', 'latencyMs', 'faults', 'htmlMode', 'clock'];
  const unknown = Object.keys(patch).filter((k) => !known.includes(k));
  if (unknown.length) throw new TypeError(`unknown config key(s): ${unknown.join(', ')}`);
  const out = cloneConfig(base);
  const { rateLimit, latencyMs, faults, htmlMode, clock } = patch;
  if (rateLimit !== undefined) {
    if (rateLimit === null) out.rateLimit = null;
    else if (
      isObject(rateLimit) &&
      Number.isInteger(rateLimit.requests) && (rateLimit.requests as number) >= 1 &&
      typeof rateLimit.windowMs === 'number' && Number.isFinite(rateLimit.windowMs) && rateLimit.windowMs > 0
    ) out.rateLimit = { requests: rateLimit.requests as number, windowMs: rateLimit.windowMs };
    else throw new TypeError('rateLimit must be null or { requests: integer >= 1, windowMs: number > 0 }');
  }
  if (latencyMs !== undefined) {
    if (typeof latencyMs !== 'number' || !Number.isFinite(latencyMs) || latencyMs < 0) throw new TypeError('latencyMs must be a number >= 0');
    out.latencyMs = latencyMs;
  }
  if (faults !== undefined) {
    // Partial fault objects are merged so `{ dropRate: 0.1 }` keeps the error rate.
    if (!isObject(faults)) throw new TypeError('faults must be an object');
    const merged = { ...out.faults, ...faults } as Record<string, unknown>;
    if (!isRate(merged.serverErrorRate) || !isRate(merged.dropRate)) throw new TypeError('faults.serverErrorRate and faults.dropRate must be numbers in 0..1');
    if ((merged.serverErrorRate as number) + (merged.dropRate as number) > 1) throw new TypeError('faults.serverErrorRate + faults.dropRate must not exceed 1');
    if (merged.seed !== undefined && !Number.isInteger(merged.seed)) throw new TypeError('faults.seed must be an integer');
    out.faults = { serverErrorRate: merged.serverErrorRate as number, dropRate: merged.dropRate as number };
    if (merged.seed !== undefined) out.faults.seed = merged.seed as number;
  }
  if (htmlMode !== undefined) {
    if (htmlMode === null) out.htmlMode = null;
    else if (isObject(htmlMode) && Number.isInteger(htmlMode.status) && (htmlMode.status as number) >= 100 && (htmlMode.status as number) <= 599) {
      out.htmlMode = { status: htmlMode.status as number };
      if (htmlMode.echoKey !== undefined) out.htmlMode.echoKey = parseKeyEcho(htmlMode.echoKey);
    } else throw new TypeError('htmlMode must be null or { status: integer 100..599, echoKey? }');
  }
  if (clock === null) out.clock = null;
  else if (clock !== undefined) {
    const ms = isObject(clock) && typeof clock.frozenAt === 'string' && Object.keys(clock).length === 1 ? parseClockInstant(clock.frozenAt) : null;
    if (ms === null) throw new TypeError("clock must be null or { frozenAt: 'YYYY-MM-DD HH:MM:SS' } (UTC; a T separator and a Z are accepted)");
    out.clock = { frozenAt: formatDateTime(new Date(ms)) };
  }
  return out;
}

const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

/** Validates a fault (it may come from JSON over HTTP) and fills in its defaults. */
function parseFaultSpec(v: unknown, id: number): PendingFault {
  if (!isObject(v)) throw new TypeError('fault must be an object');
  const allowed: Record<FaultKind, string[]> = {
    status: ['status', 'message', 'retryAfter', 'retryAfterForm', 'apply'],
    drop: [],
    applyThenDrop: [],
    html: ['status', 'apply'],
    redirect: ['status', 'location'],
  };
  const kind = v.kind as FaultKind;
  if (!FAULT_KINDS.includes(kind)) throw new TypeError(`fault.kind must be one of ${FAULT_KINDS.join(', ')}`);
  const unknown = Object.keys(v).filter((k) => !['method', 'path', 'kind', 'count', 'after', ...allowed[kind]].includes(k));
  if (unknown.length) throw new TypeError(`unknown key(s) for a ${kind} fault: ${unknown.join(', ')}`);
  if (typeof v.method !== 'string' || !/^(\*|[A-Za-z]+)$/.test(v.method)) throw new TypeError("fault.method must be an HTTP method or '*'");
  if (typeof v.path !== 'string' || !v.path.startsWith('/') || v.path.includes('?')) throw new TypeError('fault.path must be a URL path starting with / (no query); end it with * for a prefix');
  if (v.count !== undefined && !(Number.isInteger(v.count) && (v.count as number) >= 1)) throw new TypeError('fault.count must be an integer >= 1');
  if (v.after !== undefined && !(Number.isInteger(v.after) && (v.after as number) >= 0)) throw new TypeError('fault.after must be an integer >= 0');
  const out: PendingFault = { id, method: v.method.toUpperCase(), path: v.path, kind, count: (v.count as number | undefined) ?? 1 };
  if (v.after) out.after = v.after as number;
  if (v.apply !== undefined) {
    if (typeof v.apply !== 'boolean') throw new TypeError('fault.apply must be a boolean');
    if (v.apply) out.apply = true;
  }
  const status = v.status;
  const isInt = (n: unknown, lo: number, hi: number) => Number.isInteger(n) && (n as number) >= lo && (n as number) <= hi;
  if (kind === 'status') {
    if (status !== undefined && !isInt(status, 400, 599)) throw new TypeError('fault.status must be an integer 400..599 for a status fault');
    out.status = (status as number | undefined) ?? 500;
    if (v.message !== undefined) {
      if (typeof v.message !== 'string') throw new TypeError('fault.message must be a string');
      out.message = v.message;
    }
    if (v.retryAfter !== undefined) {
      const text = typeof v.retryAfter === 'string' && v.retryAfter !== '' && v.retryAfter.length <= 200 && /^[\x20-\x7e]+$/.test(v.retryAfter);
      if (!isInt(v.retryAfter, 0, 86_400) && !text) throw new TypeError('fault.retryAfter must be an integer number of seconds 0..86400, or the header text (printable ASCII, at most 200 characters)');
      out.retryAfter = v.retryAfter as number | string;
    }
    if (v.retryAfterForm !== undefined) {
      if (v.retryAfterForm !== 'seconds' && v.retryAfterForm !== 'date') throw new TypeError("fault.retryAfterForm must be 'seconds' or 'date'");
      if (typeof v.retryAfter !== 'number') throw new TypeError('fault.retryAfterForm needs a numeric retryAfter');
      out.retryAfterForm = v.retryAfterForm;
    }
  } else if (kind === 'html') {
    if (status !== undefined && !isInt(status, 200, 599)) throw new TypeError('fault.status must be an integer 200..599 for an html fault');
    out.status = (status as number | undefined) ?? 403;
  } else if (kind === 'redirect') {
    if (status !== undefined && !REDIRECT_STATUSES.includes(status as number)) throw new TypeError(`fault.status must be one of ${REDIRECT_STATUSES.join(', ')} for a redirect`);
    if (typeof v.location !== 'string' || v.location === '' || /[\r\n]/.test(v.location)) throw new TypeError('fault.location (a non-empty URL) is required for a redirect');
    out.status = (status as number | undefined) ?? 301;
    out.location = v.location;
  }
  return out;
}

function faultMatches(f: PendingFault, method: string, path: string): boolean {
  if (f.method !== '*' && f.method !== method.toUpperCase()) return false;
  return f.path.endsWith('*') ? path.startsWith(f.path.slice(0, -1)) : path === f.path;
}

function parseKeyEcho(v: unknown): KeyEcho {
  const count = (n: unknown) => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 1_000_000;
  if (!isObject(v) || !count(v.offset) || !KEY_ECHO_ENCODINGS.includes(v.encoding as KeyEchoEncoding) || (v.cutAfter !== undefined && !count(v.cutAfter))) {
    throw new TypeError(`htmlMode.echoKey must be { offset: integer >= 0, encoding: ${KEY_ECHO_ENCODINGS.join(' | ')}, cutAfter?: integer >= 0 }`);
  }
  const out: KeyEcho = { offset: v.offset as number, encoding: v.encoding as KeyEchoEncoding };
  if (v.cutAfter !== undefined) out.cutAfter = v.cutAfter as number;
  return out;
}

// ---------------------------------------------------------------------------
// Replies.

interface HttpReply {
  kind: 'reply';
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}
type Reply = HttpReply | { kind: 'drop' };

const JSON_TYPE = 'application/json; charset=utf-8';

function json(status: number, payload: unknown): HttpReply {
  return { kind: 'reply', status, contentType: JSON_TYPE, body: JSON.stringify(payload) };
}

function bdError(status: number, message: string): HttpReply {
  return json(status, { status: 'error', message });
}

/** Copernica is PHP behind the scenes: its JSON escapes "/" as "\/" (see the seed). */
function copernicaJson(status: number, payload: unknown): Reply {
  return { kind: 'reply', status, contentType: JSON_TYPE, body: JSON.stringify(payload).replace(/\//g, '\\/') };
}

function copernicaError(status: number, message: string): Reply {
  return copernicaJson(status, { error: { message } });
}

function htmlPage(status: number, echo?: { key: string; how: KeyEcho }): Reply {
  const title = `${status} ${http.STATUS_CODES[status] ?? 'Error'}`;
  return {
    kind: 'reply',
    status,
    contentType: 'text/html; charset=utf-8',
    body: echo
      ? keyEchoPage(status, echo.key, echo.how)
      : `<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>Access denied</h1><p>Request blocked by the web application firewall.</p></body></html>`,
  };
}

/** The key as a page would quote it. */
export function encodeKeyEcho(key: string, encoding: KeyEchoEncoding): string {
  const points = Array.from(key);
  switch (encoding) {
    case 'raw': return key;
    case 'url': return encodeURIComponent(key);
    case 'url-lower': return encodeURIComponent(key).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
    case 'form': return new URLSearchParams({ k: key }).toString().slice(2);
    case 'html': return key.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
    case 'html-decimal': return points.map((c) => `&#${c.codePointAt(0)};`).join('');
    case 'html-hex': return points.map((c) => `&#x${c.codePointAt(0)!.toString(16).toUpperCase()};`).join('');
  }
}

/**
 * A firewall page with the request's key (X-Api-Key, else access_token) quoted so that its
 * encoded form begins exactly `offset` characters into the body. Offset 34 is the start of
 * the <title> text; the page is padded with single-spaced sentences as far as needed.
 */
export function keyEchoPage(status: number, key: string, how: KeyEcho): string {
  const title = `${status} ${http.STATUS_CODES[status] ?? 'Error'}`;
  let page = `<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>Access denied</h1><p>Request blocked by the web application firewall.`;
  while (page.length < how.offset) page += ' Quote this reference when you contact the owner of the site.';
  const encoded = encodeKeyEcho(key, how.encoding);
  const body = `${page.slice(0, how.offset)}${encoded}${page.slice(how.offset)}</p></body></html>`;
  return how.cutAfter === undefined ? body : body.slice(0, how.offset + how.cutAfter);
}

function requestKey(headers: http.IncomingHttpHeaders, url: URL): string {
  const header = headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header;
  return lastParam(url.searchParams, 'access_token') ?? '';
}

const EMPTY_LIST = { status: 'success', message: [], total: 0, current_page: 1, total_pages: 0, next_page: '', prev_page: '' } as const;

// ---------------------------------------------------------------------------
// Request parsing.

interface ParsedBody {
  /** json bodies are rejected on writes; "other" (text/plain, multipart) parses to nothing. */
  kind: 'empty' | 'form' | 'json' | 'other';
  params: URLSearchParams;
}

function parseBody(contentType: string | undefined, raw: Buffer): ParsedBody {
  const media = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const text = raw.toString('utf8');
  if (raw.length === 0) return { kind: 'empty', params: new URLSearchParams() };
  const isForm = media === 'application/x-www-form-urlencoded';
  if (media === 'application/json' || media.endsWith('+json') || (!isForm && /^\s*[[{]/.test(text))) {
    return { kind: 'json', params: new URLSearchParams() };
  }
  // No content type at all is read as a form, like PHP's parse_str on the raw input.
  if (isForm || media === '') return { kind: 'form', params: new URLSearchParams(text) };
  return { kind: 'other', params: new URLSearchParams() };
}

/** Keys ending in [] are always arrays; other repeated keys become arrays too. */
function paramsToRecord(params: URLSearchParams, omit: readonly string[] = []): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of params) {
    if (omit.includes(k)) continue;
    const prev = out[k];
    if (prev === undefined) out[k] = k.endsWith('[]') ? [v] : v;
    else if (Array.isArray(prev)) prev.push(v);
    else out[k] = [prev, v];
  }
  return out;
}

/** PHP semantics for scalar params: the last occurrence wins. */
function lastValues(params: URLSearchParams): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of params) out.set(k, v);
  return out;
}

function lastParam(params: URLSearchParams, name: string): string | undefined {
  const all = params.getAll(name);
  return all.length ? all[all.length - 1] : undefined;
}

// ---------------------------------------------------------------------------
// Comparisons, filters, paging.

const INTEGER = /^-?\d+$/;

/** Copernica's fields[] conditions: numeric when both sides are integer strings, else plain (code unit) string order. */
function compareValues(a: string, b: string): number {
  if (INTEGER.test(a) && INTEGER.test(b)) {
    const d = Number(a) - Number(b);
    return d < 0 ? -1 : d > 0 ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * How a BD column compares in filters and in order_column, like its MySQL type: `int` columns
 * (the vendor tables' integers) as numbers; `date` columns as their stored strings (the
 * notes: an ISO value against a 14-digit column gives wrong rows); `text` as strings.
 */
type ColumnKind = 'int' | 'date' | 'text';

function columnKind(schema: ModelSchema, column: string): ColumnKind {
  if (schema.intFields.includes(column)) return 'int';
  return Object.hasOwn(schema.dateFields, column) ? 'date' : 'text';
}

/** A string in a numeric context, as MySQL reads it: its leading number, else 0 ("12abc" → 12, "abc" → 0, "" → 0). */
export function mysqlNumber(text: string): number {
  const m = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)/.exec(text);
  return m ? Number(m[1]) : 0;
}

const NUMERIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

function sign(d: number): number {
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

function codeUnitCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An empty date: NULL, '' or MySQL's zero date ('00000000000000', '0000-00-00 00:00:00'). */
function isEmptyDate(v: FieldValue): boolean {
  return v === null || /^[0 :-]*$/.test(v);
}

function likeToRegExp(pattern: string): RegExp {
  let src = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) src += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') src += '[\\s\\S]*';
    else if (c === '_') src += '[\\s\\S]';
    else src += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${src}$`, 'iu');
}

type Test = (v: FieldValue) => boolean;

const VALUELESS_OPS = new Set(['is_set', 'is_not_set', 'is_null', 'is_not_null']);
const DAY_MS = 86_400_000;

/**
 * Compiles one condition on a column of the given kind; null means malformed (→ 400 Invalid
 * filter parameters). `now` (ms) is the sandbox clock, for since_days/until_days.
 */
function compileCondition(opRaw: string, value: string | undefined, kind: ColumnKind, now: number): Test | null {
  const op = opRaw.toLowerCase();
  if (VALUELESS_OPS.has(op)) {
    switch (op) {
      case 'is_set': return (v) => v !== null && v !== '';
      case 'is_not_set': return (v) => v === null || v === '';
      case 'is_null': return (v) => v === null;
      default: return (v) => v !== null;
    }
  }
  if (value === undefined) return null;
  // SQL semantics: NULL never satisfies a comparison, not even ne / not_like; the one
  // exception is below (lt/lte/until_days on a date column also match empty dates).
  const dateTest = (pred: (d: Date) => boolean): Test => (v) => {
    if (v === null) return false;
    const d = parseStoredDate(v);
    return d !== null && pred(d);
  };
  const orEmptyDate = (t: Test): Test => (kind === 'date' ? (v) => isEmptyDate(v) || t(v) : t);
  const intArg = (re: RegExp, min: number, max: number): number | null => {
    if (!re.test(value)) return null;
    const n = Number(value);
    return n >= min && n <= max ? n : null;
  };
  // int: numbers, as MySQL converts the value; otherwise strings, equality case-insensitive
  // (the notes), order by code unit.
  const compare = kind === 'int' ? (a: string, b: string) => sign(mysqlNumber(a) - mysqlNumber(b)) : codeUnitCompare;
  const equal = kind === 'int' ? (a: string, b: string) => mysqlNumber(a) === mysqlNumber(b) : (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  switch (op) {
    case 'eq': return (v) => v !== null && equal(v, value);
    case 'ne': return (v) => v !== null && !equal(v, value);
    case 'lt': case 'lte': case 'gt': case 'gte': {
      if (value === '') return null;
      const ok = { lt: (c: number) => c < 0, lte: (c: number) => c <= 0, gt: (c: number) => c > 0, gte: (c: number) => c >= 0 }[op];
      const test: Test = (v) => v !== null && ok(compare(v, value));
      return op === 'lt' || op === 'lte' ? orEmptyDate(test) : test;
    }
    case 'in': case 'not_in': {
      if (value === '') return null;
      let items = value.split(',').map((s) => s.trim());
      // Mixed types: on an int column the values that are not numbers are silently dropped.
      if (kind === 'int') items = items.filter((s) => NUMERIC.test(s));
      // One lookup per row, as an index would answer it (equal() compared every item with every row).
      const wanted = new Set<number | string>(items.map((item) => (kind === 'int' ? mysqlNumber(item) : item.toLowerCase())));
      const has = (v: string) => wanted.has(kind === 'int' ? mysqlNumber(v) : v.toLowerCase());
      return op === 'in' ? (v) => v !== null && has(v) : (v) => v !== null && !has(v);
    }
    case 'between': {
      const items = value.split(',').map((s) => s.trim());
      if (items.length !== 2 || items.some((s) => s === '')) return null;
      const [lo, hi] = items;
      return (v) => v !== null && compare(v, lo) >= 0 && compare(v, hi) <= 0;
    }
    case 'like': case 'not_like': {
      // The firewall strips "%": it never arrives, so only "_" works as a wildcard.
      const pattern = value.replace(/%/g, '');
      if (pattern === '') return null;
      const re = likeToRegExp(pattern);
      return op === 'like' ? (v) => v !== null && re.test(v) : (v) => v !== null && !re.test(v);
    }
    case 'contains': case 'not_contains': case 'starts_with': case 'ends_with': {
      // A comma-separated value means OR (not_contains: none of them).
      const needles = value.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
      if (needles.length === 0) return null;
      const has = {
        contains: (s: string) => needles.some((n) => s.includes(n)),
        not_contains: (s: string) => !needles.some((n) => s.includes(n)),
        starts_with: (s: string) => needles.some((n) => s.startsWith(n)),
        ends_with: (s: string) => needles.some((n) => s.endsWith(n)),
      }[op];
      return (v) => v !== null && has(v.toLowerCase());
    }
    case 'since_days': case 'until_days': {
      const n = intArg(/^\d+$/, 0, 100_000);
      if (n === null) return null;
      const cutoff = now - n * DAY_MS;
      return op === 'since_days' ? dateTest((d) => d.getTime() >= cutoff) : orEmptyDate(dateTest((d) => d.getTime() < cutoff));
    }
    case 'year_eq': {
      const n = intArg(/^\d{4}$/, 1000, 9999);
      return n === null ? null : dateTest((d) => d.getUTCFullYear() === n);
    }
    case 'month_eq': {
      const n = intArg(/^\d{1,2}$/, 1, 12);
      return n === null ? null : dateTest((d) => d.getUTCMonth() + 1 === n);
    }
    case 'day_eq': {
      const n = intArg(/^\d{1,2}$/, 1, 31);
      return n === null ? null : dateTest((d) => d.getUTCDate() === n);
    }
    case 'length_eq': {
      const n = intArg(/^\d+$/, 0, Number.MAX_SAFE_INTEGER);
      return n === null ? null : (v) => v !== null && [...v].length === n;
    }
    default:
      return null; // unknown word, or a symbol form such as "<"
  }
}

interface Condition {
  column: string;
  test: Test;
}

function parseFilters(params: URLSearchParams, schema: ModelSchema, now: number): Condition[] | null {
  const raw: { column: string; op: string; value: string | undefined }[] = [];
  if (params.has('property') || params.has('property_value') || params.has('property_operator')) {
    const column = lastParam(params, 'property');
    if (!column) return null;
    raw.push({ column, op: lastParam(params, 'property_operator') || 'eq', value: lastParam(params, 'property_value') });
  }
  const props = params.getAll('property[]');
  const values = params.getAll('property_value[]');
  const ops = params.getAll('property_operator[]');
  if (props.length || values.length || ops.length) {
    if (!props.length) return null;
    if (ops.length && ops.length !== props.length) return null;
    const opAt = (i: number) => (ops.length ? ops[i] : '') || 'eq';
    // Values may be omitted entirely only when every operator takes none.
    const valuesOmitted = values.length === 0 && props.every((_, i) => VALUELESS_OPS.has(opAt(i).toLowerCase()));
    if (values.length !== props.length && !valuesOmitted) return null;
    for (let i = 0; i < props.length; i++) {
      if (!props[i]) return null;
      raw.push({ column: props[i], op: opAt(i), value: valuesOmitted ? undefined : values[i] });
    }
  }
  const out: Condition[] = [];
  for (const r of raw) {
    const test = compileCondition(r.op, r.value, columnKind(schema, r.column), now);
    if (!test) return null;
    out.push({ column: r.column, test });
  }
  return out;
}

const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 100;

function clampLimit(raw: string | undefined): number {
  const m = raw === undefined ? null : /^\s*([+-]?\d+)/.exec(raw);
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isFinite(n) || n < 1) return DEFAULT_LIMIT;
  return Math.min(n, MAX_LIMIT);
}

export function encodeCursor(page: number, limit: number): string {
  return Buffer.from(`${page}*_*${limit}`, 'utf8').toString('base64');
}

export function decodeCursor(cursor: string): { page: number; limit: number } | null {
  // An unencoded "+" arrives as a space; put it back before decoding.
  const text = cursor.replace(/ /g, '+');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return null;
  const m = /^(\d+)\*_\*(\d+)$/.exec(Buffer.from(text, 'base64').toString('utf8'));
  if (!m) return null;
  const page = Number(m[1]);
  return page >= 1 ? { page, limit: clampLimit(m[2]) } : null;
}

// ---------------------------------------------------------------------------
// The server.

interface State {
  url: string;
  defaults: SandboxConfig;
  config: SandboxConfig;
  store: SandboxStore;
  log: { seq: number; rec: RecordedRequest }[];
  seq: number;
  windows: Map<string, number[]>;
  rng: () => number;
  /** Sorted views per model + order, valid while the store's mutation generation matches. */
  orderCache: Map<string, { generation: number; rows: StoredRecord[] }>;
  /** Faults aimed with addFault, oldest first; each is removed when its count runs out. */
  faults: PendingFault[];
  nextFaultId: number;
}

/** The sandbox clock in ms: the frozen instant, or the real time. */
function clockMs(state: State): number {
  const frozen = state.config.clock;
  return frozen ? (parseClockInstant(frozen.frozenAt) ?? Date.now()) : Date.now();
}

/** The first pending fault matching the request, counted down (and removed at zero); undefined if none. */
function takeFault(state: State, method: string, path: string): PendingFault | undefined {
  const i = state.faults.findIndex((f) => faultMatches(f, method, path));
  if (i < 0) return undefined;
  const fault = state.faults[i];
  if (fault.after) {
    fault.after--;
    return undefined;
  }
  fault.count--;
  if (fault.count === 0) state.faults.splice(i, 1);
  return fault;
}

const BD_STATUS_MESSAGES: Readonly<Record<number, string>> = {
  400: 'Missing required parameters',
  401: 'API Key is invalid or missing',
  403: 'API Key does not have permission to access this endpoint',
  404: 'Record not found',
  405: 'Method not allowed',
  429: 'Too many API requests per minute',
  500: 'Internal server error',
};

/** The reply of a status, html or redirect fault (drops are handled by the caller). */
function faultReply(fault: PendingFault, path: string, nowMs: number): Reply {
  const status = fault.status ?? 500;
  if (fault.kind === 'html') return htmlPage(status);
  if (fault.kind === 'redirect') {
    return { kind: 'reply', status, contentType: 'text/html; charset=UTF-8', body: '', headers: { Location: fault.location ?? '/' } };
  }
  const copernica = path === '/v2' || path.startsWith('/v2/');
  const message = fault.message
    ?? (copernica
      ? (status === 429 ? 'Too many requests' : status === 500 ? 'Internal server error' : http.STATUS_CODES[status] ?? 'Error')
      : BD_STATUS_MESSAGES[status] ?? http.STATUS_CODES[status] ?? 'Error');
  const reply = copernica ? copernicaJson(status, { error: { message } }) : bdError(status, message);
  if (reply.kind === 'reply' && fault.retryAfter !== undefined) reply.headers = { 'Retry-After': retryAfterHeader(fault, nowMs) };
  return reply;
}

/** The Retry-After text of a status fault: seconds, an HTTP-date from the sandbox clock, or the text as given. */
function retryAfterHeader(fault: PendingFault, nowMs: number): string {
  const value = fault.retryAfter;
  if (typeof value === 'number' && fault.retryAfterForm === 'date') return new Date(nowMs + value * 1000).toUTCString();
  return String(value);
}

/**
 * All rows of a model in list order. Without a (known) order column the order is
 * stable but deliberately not by primary key, like the live service. Ordered
 * columns compare as their MySQL type (int columns as numbers, others by code unit),
 * NULL (or a custom column the record does not carry) first ascending, ties by
 * primary key. Cached because 12k-row sorts add up when a client pages through everything.
 */
function orderedRows(state: State, model: BdModelName, column: string | null, desc: boolean): StoredRecord[] {
  const pk = SCHEMAS[model].pk;
  // By primary key (or the key's hash, the default order) an update cannot move a row, and rows
  // are updated in place: only adding or removing records re-sorts, as an index on the key would.
  const byKey = column === null || column === pk;
  const generation = byKey ? state.store.membershipGeneration() : state.store.mutationGeneration();
  const cacheKey = `${model}|${column ?? ''}|${desc ? 'DESC' : 'ASC'}`;
  const cached = state.orderCache.get(cacheKey);
  if (cached && cached.generation === generation) return cached.rows;
  let rows: StoredRecord[];
  if (column === null) {
    const decorated = state.store.rows(model).map((r) => ({ h: fnv1a(`${model}:${r[pk]}`), id: Number(r[pk]), r }));
    decorated.sort((a, b) => a.h - b.h || a.id - b.id);
    rows = decorated.map((d) => d.r);
  } else {
    // Decorated once: converting inside the comparator dominated on 12k rows.
    const numeric = columnKind(SCHEMAS[model], column) === 'int';
    const decorated = state.store.rows(model).map((r) => {
      const v = r[column] ?? null;
      return { v, n: v !== null && numeric ? mysqlNumber(v) : NaN, id: Number(r[pk]), r };
    });
    decorated.sort((a, b) => {
      let c: number;
      if (a.v === null || b.v === null) c = a.v === b.v ? 0 : a.v === null ? -1 : 1;
      else if (numeric) c = a.n - b.n;
      else c = a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
      return (desc ? -c : c) || a.id - b.id;
    });
    rows = decorated.map((d) => d.r);
  }
  if (state.orderCache.size > 64) state.orderCache.clear(); // bound memory; rebuilt on demand
  state.orderCache.set(cacheKey, { generation, rows });
  return rows;
}

function requestSnapshot(state: State): RecordedRequest[] {
  return [...state.log]
    .sort((a, b) => a.seq - b.seq)
    .map(({ rec }) => ({
      ...rec,
      query: structuredClone(rec.query),
      body: structuredClone(rec.body),
    }));
}

/** Sliding window; a rejected request is not counted. */
function allowRequest(state: State, key: string): boolean {
  const limit = state.config.rateLimit;
  if (!limit) return true;
  const now = Date.now();
  const recent = (state.windows.get(key) ?? []).filter((t) => t > now - limit.windowMs);
  const allowed = recent.length < limit.requests;
  if (allowed) recent.push(now);
  state.windows.set(key, recent);
  return allowed;
}

function pickRecord(record: StoredRecord, fields: readonly string[]): StoredRecord {
  const out: StoredRecord = {};
  for (const f of fields) if (f in record) out[f] = record[f];
  return out;
}

function listReply(state: State, model: BdModelName, params: URLSearchParams): Reply {
  const schema = SCHEMAS[model];
  const conditions = parseFilters(params, schema, state.store.now().getTime());
  if (!conditions) return bdError(400, 'Invalid filter parameters');
  const pageParam = lastParam(params, 'page');
  let page = 1;
  let limit: number;
  if (pageParam !== undefined && pageParam !== '') {
    // With a page cursor the size comes from the cursor; limit is ignored.
    const cursor = decodeCursor(pageParam);
    page = cursor?.page ?? 1;
    limit = cursor?.limit ?? DEFAULT_LIMIT;
  } else {
    limit = clampLimit(lastParam(params, 'limit'));
  }
  const columns = tableColumns(schema);
  if (conditions.some((c) => !columns.includes(c.column) && !schema.virtualFields.includes(c.column))) {
    return json(200, EMPTY_LIST);
  }
  // Virtual columns (contacts: cid, after, bucket) are accepted and have no effect.
  const active = conditions.filter((c) => columns.includes(c.column));
  const orderParam = lastParam(params, 'order_column');
  const column = orderParam && columns.includes(orderParam) ? orderParam : null; // unknown column: default order
  const desc = (lastParam(params, 'order_type') ?? '').trim().toUpperCase() === 'DESC';
  // A custom column a record does not carry reads as NULL.
  const rows = orderedRows(state, model, column, desc).filter((r) => active.every((c) => c.test(r[c.column] ?? null)));
  if (rows.length === 0) return json(200, EMPTY_LIST);

  const total = rows.length;
  const totalPages = Math.ceil(total / limit);
  const slice = rows.slice((page - 1) * limit, page * limit).map((r) => ({ ...r }));
  return json(200, {
    status: 'success',
    message: slice,
    total: String(total),
    current_page: page,
    total_pages: totalPages,
    // Quirk kept on purpose: never empty, even on (or past) the last page.
    next_page: encodeCursor(page + 1, limit),
    prev_page: page > 1 ? encodeCursor(page - 1, limit) : '',
  });
}

function getOneReply(state: State, model: BdModelName, id: string): Reply {
  if (!/^\d+$/.test(id)) return bdError(400, 'Invalid record ID');
  const row = state.store.row(model, id);
  if (!row) return bdError(404, 'Record not found');
  return json(200, { status: 'success', message: [{ ...row }], total: '1', current_page: 1, total_pages: 1 });
}

/** Writable (non-pk, non-auto) table columns, custom ones included, from a form body; last value wins. */
function writableFields(model: BdModelName, form: Map<string, string>): Map<string, string> {
  const schema = SCHEMAS[model];
  const out = new Map<string, string>();
  for (const f of tableColumns(schema)) {
    if (f === schema.pk || f === schema.revisionField) continue;
    const v = form.get(f);
    if (v !== undefined) out.set(f, v);
  }
  return out;
}

function createReply(state: State, model: BdModelName, body: ParsedBody): Reply {
  if (body.kind === 'json') return bdError(400, 'Missing required parameters');
  const schema = SCHEMAS[model];
  const fields = writableFields(model, lastValues(body.params));
  const missing = schema.required.filter((f) => !fields.get(f));
  if (missing.length) return bdError(400, `Missing required fields: ${missing.join(', ')}`);
  if (fields.size === 0) return bdError(400, 'Missing required parameters');
  const record = state.store.insert(model, Object.fromEntries(fields));
  return json(200, { status: 'success', message: record });
}

function updateReply(state: State, model: BdModelName, body: ParsedBody): Reply {
  if (body.kind === 'json') return bdError(400, 'Missing required parameters');
  const schema = SCHEMAS[model];
  const form = lastValues(body.params);
  const id = form.get(schema.pk);
  if (id === undefined || id === '') return bdError(400, `Missing required parameter: ${schema.pk}`);
  if (!/^\d+$/.test(id)) return bdError(400, 'Invalid record ID');
  if (!state.store.row(model, id)) return bdError(404, 'Record not found');
  const clear = new Set((form.get('__clear_fields') ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  const sent = writableFields(model, form);
  const changes: Record<string, string> = {};
  for (const [f, v] of sent) {
    // An empty value only clears when the field is also named in __clear_fields.
    if (v !== '' || clear.has(f)) changes[f] = v;
  }
  const outcome = state.store.update(model, id, changes);
  if (!outcome) return bdError(404, 'Record not found');
  // Partial echo: pk, what was sent, and the revision column — clients must re-read.
  const echo = new Set<string>([schema.pk, ...sent.keys()]);
  if (schema.revisionField) echo.add(schema.revisionField);
  return json(200, { status: 'success', message: pickRecord(outcome.record, tableColumns(schema).filter((f) => echo.has(f))) });
}

function deleteReply(state: State, model: BdModelName, body: ParsedBody): Reply {
  if (body.kind === 'json') return bdError(400, 'Missing required parameters');
  const pk = SCHEMAS[model].pk;
  const id = lastValues(body.params).get(pk);
  if (id === undefined || id === '') return bdError(400, `Missing required parameter: ${pk}`);
  if (!/^\d+$/.test(id)) return bdError(400, 'Invalid record ID');
  if (!state.store.deleteRecord(model, id)) return bdError(404, 'Record not found');
  return json(200, { status: 'success', message: `${model} record was deleted` });
}

function bdReply(state: State, method: string, path: string, headers: http.IncomingHttpHeaders, url: URL, body: ParsedBody): Reply {
  const key = typeof headers['x-api-key'] === 'string' ? headers['x-api-key'] : undefined;
  if (key !== SANDBOX_BD_KEY && key !== SANDBOX_BD_LIMITED_KEY) return bdError(401, 'API Key is invalid or missing');
  if (!allowRequest(state, `bd:${key}`)) return bdError(429, 'Too many API requests per minute');

  const segments = path.slice('/api/v2'.length).split('/').slice(1);
  if (segments.length && segments[segments.length - 1] === '') segments.pop(); // trailing slash
  const notAllowed = bdError(405, 'Method not allowed');

  if (segments.length === 2 && segments[0] === 'token' && segments[1] === 'verify') {
    if (method !== 'GET') return notAllowed;
    return json(200, {
      status: 'success',
      message: { website: state.url, key: key === SANDBOX_BD_KEY ? 'Sandbox key' : 'Sandbox limited key' },
    });
  }

  const [model, action, extra, ...rest] = segments;
  const notFound = bdError(404, 'Endpoint not found');
  if (!model || !isBdModelName(model) || !action || rest.length) return notFound;
  const known = (action === 'get' && segments.length <= 3) || (['create', 'update', 'delete', 'search'].includes(action) && extra === undefined);
  if (!known) return notFound;
  if (model === 'users_clicks' && key === SANDBOX_BD_LIMITED_KEY) {
    return bdError(403, 'API Key does not have permission to access this endpoint');
  }
  switch (action) {
    case 'get':
      if (method !== 'GET') return notAllowed;
      return extra === undefined ? listReply(state, model, url.searchParams) : getOneReply(state, model, extra);
    case 'create':
      return method === 'POST' ? createReply(state, model, body) : notAllowed;
    case 'update':
      return method === 'PUT' ? updateReply(state, model, body) : notAllowed;
    case 'delete':
      return method === 'DELETE' ? deleteReply(state, model, body) : notAllowed;
    default: // search
      if (model === 'users_clicks') return bdError(405, 'The search endpoint is not currently available for this model');
      if (method !== 'POST') return notAllowed;
      if (body.kind === 'json') return bdError(400, 'Missing required parameters');
      return listReply(state, model, body.params);
  }
}

const COPERNICA_TIME = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2}))?$/;

function copernicaReply(state: State, method: string, path: string, url: URL): Reply {
  const params = url.searchParams;
  if (lastParam(params, 'access_token') !== SANDBOX_COPERNICA_TOKEN) return copernicaError(400, 'Invalid access token');
  if (!allowRequest(state, `copernica:${SANDBOX_COPERNICA_TOKEN}`)) return copernicaError(429, 'Too many requests');
  if (method !== 'GET' || path.replace(/\/+$/, '') !== '/v2/ms/clicks') return copernicaError(400, 'Invalid method');

  const bounds: { begintime?: string; endtime?: string } = {};
  for (const name of ['begintime', 'endtime'] as const) {
    const raw = lastParam(params, name);
    if (raw === undefined || raw === '') continue;
    const m = COPERNICA_TIME.exec(raw.trim());
    if (!m) return copernicaError(400, `Invalid value for parameter ${name}`);
    bounds[name] = `${m[1]} ${m[2] ?? '00:00:00'}`;
  }
  const conditions: ((r: StoredRecord) => boolean)[] = [];
  for (const spec of [...params.getAll('fields[]'), ...params.getAll('fields')]) {
    const m = /^\s*([A-Za-z_]+)\s*(==|!=|>=|<=|>|<|=)\s*(.*?)\s*$/.exec(spec);
    // Conditions on unknown fields (or unparsable ones) are ignored, as the service does.
    if (!m || !SCHEMAS.copernica_clicks.fields.includes(m[1])) continue;
    const [, field, op, value] = m;
    const ok: Record<string, (c: number) => boolean> = {
      '==': (c) => c === 0, '=': (c) => c === 0, '!=': (c) => c !== 0,
      '>=': (c) => c >= 0, '<=': (c) => c <= 0, '>': (c) => c > 0, '<': (c) => c < 0,
    };
    conditions.push((r) => r[field] !== null && ok[op](compareValues(r[field] as string, value)));
  }
  const unique = ['true', '1'].includes((lastParam(params, 'unique') ?? '').toLowerCase());
  const withTotal = !['false', '0'].includes((lastParam(params, 'total') ?? '').toLowerCase());
  const startRaw = Number.parseInt(lastParam(params, 'start') ?? '', 10);
  const start = Number.isFinite(startRaw) && startRaw > 0 ? startRaw : 0;
  const limitRaw = Number.parseInt(lastParam(params, 'limit') ?? '', 10);
  const limit = Number.isFinite(limitRaw) && limitRaw >= 0 ? Math.min(limitRaw, 1000) : 100;

  let rows = state.store
    .rows('copernica_clicks')
    .filter((r) => {
      const ts = r.timestamp ?? '';
      // begintime inclusive, endtime exclusive.
      if (bounds.begintime && ts < bounds.begintime) return false;
      if (bounds.endtime && ts >= bounds.endtime) return false;
      return conditions.every((c) => c(r));
    })
    .sort((a, b) => Number(a.ID) - Number(b.ID));
  if (unique) {
    const seen = new Set<string>();
    rows = rows.filter((r) => {
      const k = `${r.destination}\u0000${r.link}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
  const data = rows.slice(start, start + limit).map((r) => ({ ...r }));
  const payload: Record<string, unknown> = { start, limit, count: data.length };
  if (withTotal) payload.total = rows.length;
  payload.data = data;
  return copernicaJson(200, payload);
}

function apiReply(state: State, req: http.IncomingMessage, url: URL, body: ParsedBody | null): Reply {
  const method = req.method ?? 'GET';
  const path = url.pathname;
  if (body === null) return bdError(413, 'Request entity too large');
  if (path === '/api/v2' || path.startsWith('/api/v2/')) return bdReply(state, method, path, req.headers, url, body);
  if (path === '/v2' || path.startsWith('/v2/')) return copernicaReply(state, method, path, url);
  return bdError(404, 'Endpoint not found');
}

// ---------------------------------------------------------------------------
// Control API (no key, never faulted / limited / delayed).

function controlReply(sb: Sandbox, state: State, method: string, path: string, raw: Buffer | null): HttpReply {
  const err = (status: number, message: string) => json(status, { error: message });
  const readJson = (): unknown => {
    const text = raw?.toString('utf8').trim() ?? '';
    return text === '' ? {} : JSON.parse(text);
  };
  const sub = path.slice('/__sandbox'.length).replace(/\/+$/, '');
  try {
    if (sub === '/requests') {
      if (method === 'GET') return json(200, sb.requests());
      if (method === 'DELETE') { sb.clearRequests(); return json(200, { ok: true }); }
    } else if (sub === '/config') {
      if (method === 'POST') { sb.configure(readJson() as Partial<SandboxConfig>); }
      if (method === 'POST' || method === 'GET') return json(200, state.config);
    } else if (sub === '/reset') {
      if (method === 'POST') { sb.reset(); return json(200, { ok: true }); }
    } else if (sub === '/info') {
      if (method === 'GET') return json(200, { url: sb.url, bdKey: sb.bdKey, bdLimitedKey: sb.bdLimitedKey, copernicaToken: sb.copernicaToken });
    } else if (sub === '/clock') {
      if (method === 'GET') return json(200, sb.clock());
    } else if (sub === '/faults') {
      if (method === 'GET') return json(200, sb.faults());
      if (method === 'POST') return json(200, sb.addFault(readJson() as FaultSpec));
      if (method === 'DELETE') { sb.clearFaults(); return json(200, { ok: true }); }
    } else if (sub === '/copernica/clicks') {
      if (method === 'POST') {
        const body = readJson();
        if (!isObject(body)) return err(400, 'Body must be a JSON object { count }');
        return json(200, sb.store.addClicks(body.count as number));
      }
    } else if (/^\/records\/[^/]+$/.test(sub)) {
      const model = sub.slice('/records/'.length);
      if (!isModelName(model)) return err(404, `Unknown model "${model}"`);
      if (method === 'POST') {
        const fields = readJson();
        if (!isObject(fields)) return err(400, 'Body must be a JSON object of fields');
        return json(200, sb.store.createRecord(model, fields as Record<string, FieldInput>));
      }
    } else {
      const m = /^\/records\/([^/]+)\/([^/]+)$/.exec(sub);
      if (!m) return err(404, 'Unknown sandbox control endpoint');
      const [, model, id] = m;
      if (!isModelName(model)) return err(404, `Unknown model "${model}"`);
      if (method === 'GET') {
        const rec = sb.store.getRecord(model, id);
        return rec ? json(200, rec) : err(404, 'Record not found');
      }
      if (method === 'PUT') {
        const fields = readJson();
        if (!isObject(fields)) return err(400, 'Body must be a JSON object of fields');
        return json(200, sb.store.putRecord(model, id, fields as Record<string, FieldInput>));
      }
      if (method === 'DELETE') {
        return sb.store.deleteRecord(model, id) ? json(200, { ok: true }) : err(404, 'Record not found');
      }
    }
    return err(405, 'Method not allowed');
  } catch (e) {
    return err(400, e instanceof Error ? e.message : String(e));
  }
}

// ---------------------------------------------------------------------------

function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, reply: HttpReply): void {
  res.writeHead(reply.status, { ...reply.headers, 'Content-Type': reply.contentType, 'Content-Length': Buffer.byteLength(reply.body) });
  res.end(reply.body);
}

function sleep(ms: number): Promise<void> {
  // Unref'd so a pending delay never keeps a closed sandbox's process alive.
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const { port = 0, host = '127.0.0.1', extraNotifications, ...configOptions } = options;
  const patch = Object.fromEntries(Object.entries(configOptions).filter(([, v]) => v !== undefined));
  const defaults = mergeConfig(defaultConfig(), patch);
  const state: State = {
    url: '',
    defaults,
    config: cloneConfig(defaults),
    store: new SandboxStore(() => clockMs(state), extraNotifications),
    log: [],
    seq: 0,
    windows: new Map(),
    rng: makeRng(defaults.faults.seed ?? DEFAULT_FAULT_SEED),
    orderCache: new Map(),
    faults: [],
    nextFaultId: 1,
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    if (url.pathname === '/__sandbox' || url.pathname.startsWith('/__sandbox/')) {
      send(res, controlReply(sandbox, state, method, url.pathname, raw));
      return;
    }
    const seq = state.seq++;
    const at = Date.now();
    const config = state.config;
    const body = raw === null ? null : parseBody(req.headers['content-type'], raw);
    let reply: Reply;
    // A fault aimed at this request comes first: before HTML mode and without a PRNG draw.
    const fault = takeFault(state, method, url.pathname);
    if (fault?.kind === 'applyThenDrop') {
      try {
        apiReply(state, req, url, body); // processed (a write is applied) …
      } catch (e) {
        console.error('[sandbox] handler error:', e);
      }
      reply = { kind: 'drop' }; // … and the reply is lost
    } else if (fault?.kind === 'drop') {
      reply = { kind: 'drop' };
    } else if (fault) {
      if (fault.apply) {
        try {
          apiReply(state, req, url, body); // processed (a write is applied) …
        } catch (e) {
          console.error('[sandbox] handler error:', e);
        }
      }
      reply = faultReply(fault, url.pathname, clockMs(state)); // … and answered with the fault anyway
    } else if (config.htmlMode) {
      const how = config.htmlMode.echoKey;
      reply = htmlPage(config.htmlMode.status, how && { key: requestKey(req.headers, url), how });
    } else {
      // One draw per request keeps a seeded fault sequence reproducible.
      const roll = state.rng();
      if (roll < config.faults.dropRate) reply = { kind: 'drop' };
      else if (roll < config.faults.dropRate + config.faults.serverErrorRate) reply = bdOrCopernicaServerError(url.pathname);
      else {
        try {
          reply = apiReply(state, req, url, body);
        } catch (e) {
          console.error('[sandbox] handler error:', e);
          reply = bdError(500, 'Internal server error');
        }
      }
    }
    if (config.latencyMs > 0) await sleep(config.latencyMs);
    const apiKey = req.headers['x-api-key'];
    state.log.push({
      seq,
      rec: {
        method,
        path: url.pathname,
        // Secrets are never recorded: the Copernica token is reduced to apiKeyPresent.
        query: paramsToRecord(url.searchParams, ['access_token']),
        body: body && body.kind === 'form' ? paramsToRecord(body.params) : {},
        status: reply.kind === 'reply' ? reply.status : 0,
        apiKeyPresent: (typeof apiKey === 'string' && apiKey !== '') || !!url.searchParams.get('access_token'),
        at,
        ...(fault ? { fault: fault.kind } : {}),
      },
    });
    if (reply.kind === 'drop') req.socket.destroy();
    else send(res, reply);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      console.error('[sandbox] request failed:', e);
      if (!res.headersSent) send(res, bdError(500, 'Internal server error'));
    });
  });
  await listen(server, port, host);
  const address = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  state.url = `http://${shownHost}:${address.port}`;

  let closing: Promise<void> | null = null;
  const sandbox: Sandbox = {
    url: state.url,
    bdKey: SANDBOX_BD_KEY,
    bdLimitedKey: SANDBOX_BD_LIMITED_KEY,
    copernicaToken: SANDBOX_COPERNICA_TOKEN,
    store: state.store,
    requests: () => requestSnapshot(state),
    clearRequests: () => {
      state.log = [];
    },
    configure: (p) => {
      state.config = mergeConfig(state.config, p);
      if (p.faults !== undefined) state.rng = makeRng(state.config.faults.seed ?? DEFAULT_FAULT_SEED);
      // A new limit starts from empty windows so tests are predictable.
      if (p.rateLimit !== undefined) state.windows.clear();
    },
    freezeClock: (at) => sandbox.configure({ clock: { frozenAt: at instanceof Date ? at.toISOString().slice(0, 19) : at } }),
    unfreezeClock: () => sandbox.configure({ clock: null }),
    clock: () => ({ now: formatDateTime(state.store.now()), frozen: state.config.clock !== null }),
    addFault: (spec) => {
      const fault = parseFaultSpec(spec, state.nextFaultId);
      state.nextFaultId++;
      state.faults.push(fault);
      return { ...fault };
    },
    faults: () => state.faults.map((f) => ({ ...f })),
    clearFaults: () => {
      state.faults = [];
    },
    reset: () => {
      state.config = cloneConfig(state.defaults);
      state.store.reset();
      state.log = [];
      state.windows.clear();
      state.rng = makeRng(state.defaults.faults.seed ?? DEFAULT_FAULT_SEED);
      state.faults = [];
    },
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections(); // keep-alive sockets would otherwise hold close() open
      });
      return closing;
    },
  };
  return sandbox;
}

function bdOrCopernicaServerError(path: string): Reply {
  return path === '/v2' || path.startsWith('/v2/')
    ? copernicaError(500, 'Internal server error')
    : bdError(500, 'Internal server error');
}
