// The firewall-style HTML page (a fault, or HTML mode), and the request's key quoted in it
// in one of the encodings a real page might use.

import * as http from 'node:http';
import { isObject, type Reply } from './http';

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

export function parseKeyEcho(v: unknown): KeyEcho {
  const count = (n: unknown) => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 1_000_000;
  if (!isObject(v) || !count(v.offset) || !KEY_ECHO_ENCODINGS.includes(v.encoding as KeyEchoEncoding) || (v.cutAfter !== undefined && !count(v.cutAfter))) {
    throw new TypeError(`htmlMode.echoKey must be { offset: integer >= 0, encoding: ${KEY_ECHO_ENCODINGS.join(' | ')}, cutAfter?: integer >= 0 }`);
  }
  const out: KeyEcho = { offset: v.offset as number, encoding: v.encoding as KeyEchoEncoding };
  if (v.cutAfter !== undefined) out.cutAfter = v.cutAfter as number;
  return out;
}

export function htmlPage(status: number, echo?: { key: string; how: KeyEcho }): Reply {
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
