import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, type ApiErrorKind } from '../../../src/api/errors';

/** Awaits `work`, which must reject with an ApiError of `kind`; returns that error for further checks. */
export async function rejectsWithKind(work: Promise<unknown> | (() => Promise<unknown>), kind: ApiErrorKind): Promise<ApiError> {
  let outcome: unknown;
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (error) {
    outcome = error;
  }
  assert.ok(outcome !== undefined, `expected an ApiError of kind ${kind}, but the call succeeded`);
  assert.ok(outcome instanceof ApiError, `expected an ApiError of kind ${kind}, got ${String(outcome)}`);
  assert.equal(outcome.kind, kind, `expected kind ${kind}, got ${outcome.kind}: ${outcome.message}`);
  return outcome;
}

/** Same for synchronous code. */
export function throwsWithKind(work: () => unknown, kind: ApiErrorKind): ApiError {
  let outcome: unknown;
  try {
    work();
  } catch (error) {
    outcome = error;
  }
  assert.ok(outcome !== undefined, `expected an ApiError of kind ${kind}, but nothing was thrown`);
  assert.ok(outcome instanceof ApiError, `expected an ApiError of kind ${kind}, got ${String(outcome)}`);
  assert.equal(outcome.kind, kind, `expected kind ${kind}, got ${outcome.kind}: ${outcome.message}`);
  return outcome;
}

/** No secret may show in anything an error puts in front of a person or a log. */
export function assertNoSecrets(error: unknown, secrets: readonly string[]): void {
  assert.ok(error instanceof Error);
  const surfaces = [error.message, String(error), JSON.stringify((error as ApiError).details ?? {}), error.stack ?? ''];
  for (const secret of secrets) {
    for (const text of surfaces) assert.ok(!text.includes(secret), `a secret leaked into: ${text}`);
  }
}

export interface StubServer {
  readonly url: string;
  readonly hits: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

/** A tiny HTTP server for replies the sandbox cannot produce (truncated JSON, odd envelopes). */
export async function startStubServer(handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void): Promise<StubServer> {
  const hits: StubServer['hits'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      hits.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** What a stub answers next: status, body and content type (default JSON). */
export interface StubReply {
  status: number;
  body: string;
  type?: string;
}

/**
 * A stub server for a describe block (mocha before/after) that answers every request with
 * `next`, which each test sets; `url` and `hits` as startStubServer's.
 */
export function withStubServer(): { readonly url: string; readonly hits: StubServer['hits']; next: StubReply } {
  let stub: StubServer | undefined;
  const fixture = {
    next: { status: 500, body: '' } as StubReply,
    get url() {
      return stub!.url;
    },
    get hits() {
      return stub!.hits;
    },
  };
  before(async () => {
    stub = await startStubServer((_req, res) => sendJson(res, fixture.next.status, fixture.next.body, fixture.next.type));
  });
  after(async () => {
    await stub?.close();
  });
  return fixture;
}
