// Faults aimed at one kind of request (addFault) and the random ones (config.faults):
// validation, matching, and the replies they give.

import * as http from 'node:http';
import { htmlPage } from './firewall';
import { bdError, copernicaError, copernicaJson, isObject, type Reply } from './http';

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

const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

/** Validates a fault (it may come from JSON over HTTP) and fills in its defaults. */
export function parseFaultSpec(v: unknown, id: number): PendingFault {
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

/** The first pending fault matching the request, counted down (and removed from `faults` at zero); undefined if none. */
export function takeFault(faults: PendingFault[], method: string, path: string): PendingFault | undefined {
  const i = faults.findIndex((f) => faultMatches(f, method, path));
  if (i < 0) return undefined;
  const fault = faults[i];
  if (fault.after) {
    fault.after--;
    return undefined;
  }
  fault.count--;
  if (fault.count === 0) faults.splice(i, 1);
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
export function faultReply(fault: PendingFault, path: string, nowMs: number): Reply {
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

export function bdOrCopernicaServerError(path: string): Reply {
  return path === '/v2' || path.startsWith('/v2/')
    ? copernicaError(500, 'Internal server error')
    : bdError(500, 'Internal server error');
}
