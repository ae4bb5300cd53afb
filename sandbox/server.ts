// Local stand-in for the Brilliant Directories API v2 and Copernica `GET /v2/ms/clicks`,
// reproducing the quirks in shared/spec/API-NOTES.md so tests, benchmarks and the
// demo exercise the same edge cases as the real services. Node built-ins only.

import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  SCHEMAS,
  SandboxStore,
  fnv1a,
  isBdModelName,
  isModelName,
  makeRng,
  parseStoredDate,
  type BdModelName,
  type FieldInput,
  type FieldValue,
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
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  body: Record<string, string | string[]>;
  /** 0 when the connection was dropped without a reply. */
  status: number;
  apiKeyPresent: boolean;
  /** ms epoch, on arrival. */
  at: number;
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
  return { rateLimit: null, latencyMs: 0, faults: { serverErrorRate: 0, dropRate: 0 }, htmlMode: null };
}

function cloneConfig(c: SandboxConfig): SandboxConfig {
  return {
    rateLimit: c.rateLimit ? { ...c.rateLimit } : null,
    latencyMs: c.latencyMs,
    faults: { ...c.faults },
    htmlMode: c.htmlMode ? { ...c.htmlMode } : null,
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
  const known = ['rateLimit', 'latencyMs', 'faults', 'htmlMode'];
  const unknown = Object.keys(patch).filter((k) => !known.includes(k));
  if (unknown.length) throw new TypeError(`unknown config key(s): ${unknown.join(', ')}`);
  const out = cloneConfig(base);
  const { rateLimit, latencyMs, faults, htmlMode } = patch;
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
  return out;
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

/** Numeric when both sides are integer strings, else plain (code unit) string order. */
function compareValues(a: string, b: string): number {
  if (INTEGER.test(a) && INTEGER.test(b)) {
    const d = Number(a) - Number(b);
    return d < 0 ? -1 : d > 0 ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
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

/** Compiles one condition; null means malformed (→ 400 Invalid filter parameters). */
function compileCondition(opRaw: string, value: string | undefined, now: number): Test | null {
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
  // SQL semantics: NULL never satisfies a comparison, not even ne / not_like.
  const dateTest = (pred: (d: Date) => boolean): Test => (v) => {
    if (v === null) return false;
    const d = parseStoredDate(v);
    return d !== null && pred(d);
  };
  const intArg = (re: RegExp, min: number, max: number): number | null => {
    if (!re.test(value)) return null;
    const n = Number(value);
    return n >= min && n <= max ? n : null;
  };
  switch (op) {
    case 'eq': return (v) => v !== null && v === value;
    case 'ne': return (v) => v !== null && v !== value;
    case 'lt': case 'lte': case 'gt': case 'gte': {
      if (value === '') return null;
      const ok = { lt: (c: number) => c < 0, lte: (c: number) => c <= 0, gt: (c: number) => c > 0, gte: (c: number) => c >= 0 }[op];
      return (v) => v !== null && ok(compareValues(v, value));
    }
    case 'in': case 'not_in': {
      if (value === '') return null;
      const items = value.split(',').map((s) => s.trim());
      return op === 'in' ? (v) => v !== null && items.includes(v) : (v) => v !== null && !items.includes(v);
    }
    case 'between': {
      const items = value.split(',').map((s) => s.trim());
      if (items.length !== 2 || items.some((s) => s === '')) return null;
      const [lo, hi] = items;
      return (v) => v !== null && compareValues(v, lo) >= 0 && compareValues(v, hi) <= 0;
    }
    case 'like': case 'not_like': {
      if (value === '') return null;
      const re = likeToRegExp(value);
      return op === 'like' ? (v) => v !== null && re.test(v) : (v) => v !== null && !re.test(v);
    }
    case 'contains': case 'not_contains': case 'starts_with': case 'ends_with': {
      if (value === '') return null;
      const needle = value.toLowerCase();
      const has = {
        contains: (s: string) => s.includes(needle),
        not_contains: (s: string) => !s.includes(needle),
        starts_with: (s: string) => s.startsWith(needle),
        ends_with: (s: string) => s.endsWith(needle),
      }[op];
      return (v) => v !== null && has(v.toLowerCase());
    }
    case 'since_days': case 'until_days': {
      const n = intArg(/^\d+$/, 0, 100_000);
      if (n === null) return null;
      const cutoff = now - n * DAY_MS;
      return op === 'since_days' ? dateTest((d) => d.getTime() >= cutoff) : dateTest((d) => d.getTime() < cutoff);
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

function parseFilters(params: URLSearchParams, now: number): Condition[] | null {
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
    const test = compileCondition(r.op, r.value, now);
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
}

/**
 * All rows of a model in list order. Without a (known) order column the order is
 * stable but deliberately not by primary key, like the live service. Ordered
 * columns compare numerically when both values are integer strings, NULL first
 * ascending, ties by primary key. Cached because 12k-row sorts add up when a
 * client pages through everything.
 */
function orderedRows(state: State, model: BdModelName, column: string | null, desc: boolean): StoredRecord[] {
  const generation = state.store.mutationGeneration();
  const cacheKey = `${model}|${column ?? ''}|${desc ? 'DESC' : 'ASC'}`;
  const cached = state.orderCache.get(cacheKey);
  if (cached && cached.generation === generation) return cached.rows;
  const pk = SCHEMAS[model].pk;
  let rows: StoredRecord[];
  if (column === null) {
    const decorated = state.store.rows(model).map((r) => ({ h: fnv1a(`${model}:${r[pk]}`), id: Number(r[pk]), r }));
    decorated.sort((a, b) => a.h - b.h || a.id - b.id);
    rows = decorated.map((d) => d.r);
  } else {
    // Decorated once: testing "is integer" inside the comparator dominated on 12k rows.
    const decorated = state.store.rows(model).map((r) => {
      const v = r[column];
      return { v, n: v !== null && INTEGER.test(v) ? Number(v) : NaN, id: Number(r[pk]), r };
    });
    decorated.sort((a, b) => {
      let c: number;
      if (a.v === null || b.v === null) c = a.v === b.v ? 0 : a.v === null ? -1 : 1;
      else if (!Number.isNaN(a.n) && !Number.isNaN(b.n)) c = a.n - b.n;
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
  const conditions = parseFilters(params, Date.now());
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
  if (conditions.some((c) => !schema.fields.includes(c.column) && !schema.virtualFields.includes(c.column))) {
    return json(200, EMPTY_LIST);
  }
  // Virtual columns (contacts: cid, after, bucket) are accepted and have no effect.
  const active = conditions.filter((c) => schema.fields.includes(c.column));
  const orderParam = lastParam(params, 'order_column');
  const column = orderParam && schema.fields.includes(orderParam) ? orderParam : null; // unknown column: default order
  const desc = (lastParam(params, 'order_type') ?? '').trim().toUpperCase() === 'DESC';
  const rows = orderedRows(state, model, column, desc).filter((r) => active.every((c) => c.test(r[c.column])));
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

/** Known, writable (non-pk, non-auto) fields from a form body, last value wins. */
function writableFields(model: BdModelName, form: Map<string, string>): Map<string, string> {
  const schema = SCHEMAS[model];
  const out = new Map<string, string>();
  for (const f of schema.fields) {
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
  return json(200, { status: 'success', message: pickRecord(outcome.record, schema.fields.filter((f) => echo.has(f))) });
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
  res.writeHead(reply.status, { 'Content-Type': reply.contentType, 'Content-Length': Buffer.byteLength(reply.body) });
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
  const { port = 0, host = '127.0.0.1', ...configOptions } = options;
  const patch = Object.fromEntries(Object.entries(configOptions).filter(([, v]) => v !== undefined));
  const defaults = mergeConfig(defaultConfig(), patch);
  const state: State = {
    url: '',
    defaults,
    config: cloneConfig(defaults),
    store: new SandboxStore(),
    log: [],
    seq: 0,
    windows: new Map(),
    rng: makeRng(defaults.faults.seed ?? DEFAULT_FAULT_SEED),
    orderCache: new Map(),
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
    if (config.htmlMode) {
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
    reset: () => {
      state.config = cloneConfig(state.defaults);
      state.store.reset();
      state.log = [];
      state.windows.clear();
      state.rng = makeRng(state.defaults.faults.seed ?? DEFAULT_FAULT_SEED);
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
