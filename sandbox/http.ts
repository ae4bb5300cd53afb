// Replies (both vendors' JSON envelopes) and request parsing with PHP's semantics, shared by
// every route.

import * as http from 'node:http';

const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpReply {
  kind: 'reply';
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

export type Reply = HttpReply | { kind: 'drop' };

const JSON_TYPE = 'application/json; charset=utf-8';

export function json(status: number, payload: unknown): HttpReply {
  return { kind: 'reply', status, contentType: JSON_TYPE, body: JSON.stringify(payload) };
}

export function bdError(status: number, message: string): HttpReply {
  return json(status, { status: 'error', message });
}

/** Copernica is PHP behind the scenes: its JSON escapes "/" as "\/" (see the seed). */
export function copernicaJson(status: number, payload: unknown): Reply {
  return { kind: 'reply', status, contentType: JSON_TYPE, body: JSON.stringify(payload).replace(/\//g, '\\/') };
}

export function copernicaError(status: number, message: string): Reply {
  return copernicaJson(status, { error: { message } });
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function requestKey(headers: http.IncomingHttpHeaders, url: URL): string {
  const header = headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header;
  return lastParam(url.searchParams, 'access_token') ?? '';
}

export interface ParsedBody {
  /** json bodies are rejected on writes; "other" (text/plain, multipart) parses to nothing. */
  kind: 'empty' | 'form' | 'json' | 'other';
  params: URLSearchParams;
}

export function parseBody(contentType: string | undefined, raw: Buffer): ParsedBody {
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
export function paramsToRecord(params: URLSearchParams, omit: readonly string[] = []): Record<string, string | string[]> {
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
export function lastValues(params: URLSearchParams): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of params) out.set(k, v);
  return out;
}

export function lastParam(params: URLSearchParams, name: string): string | undefined {
  const all = params.getAll(name);
  return all.length ? all[all.length - 1] : undefined;
}

export function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
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

export function send(res: http.ServerResponse, reply: HttpReply): void {
  res.writeHead(reply.status, { ...reply.headers, 'Content-Type': reply.contentType, 'Content-Length': Buffer.byteLength(reply.body) });
  res.end(reply.body);
}
