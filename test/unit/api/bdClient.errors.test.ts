import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { BdClient, type BdClientOptions } from '../../../src/api/bdClient';
import { ApiError } from '../../../src/api/errors';
import { statusError } from '../../../src/api/replies';
import type { RequestLogEntry } from '../../../src/api/requestLayer';
import { CONTACTS, USERS_CLICKS } from '../../../src/api/resources';
import { assertNoSecrets, rejectsWithKind, withStubServer } from '../support/apiAssert';
import { settle } from '../support/sandboxHelpers';
import { withSandboxApi } from '../support/sandboxApi';

const WRONG_KEY = 'wrong-key-0123456789';
const STUB_KEY = 'stub-key-abcdef987654';

describe('BdClient errors and secrets', function () {
  this.timeout(20_000);
  const fx = withSandboxApi('none');
  let secrets: string[];
  let log: RequestLogEntry[];

  const makeClient = (options: Partial<BdClientOptions> = {}): BdClient =>
    fx.make('bdClient', { retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50, rateLimitRetries: 0 }, log: (entry) => log.push(entry), ...options });

  /** Every error the client raises: right kind, and no key anywhere in it. */
  async function failsWith(work: Promise<unknown>, kind: ApiError['kind']): Promise<ApiError> {
    const error = await rejectsWithKind(work, kind);
    assertNoSecrets(error, secrets);
    return error;
  }

  before(() => {
    secrets = [fx.sandbox.bdKey, fx.sandbox.bdLimitedKey, fx.sandbox.copernicaToken, WRONG_KEY, STUB_KEY];
  });
  beforeEach(() => {
    log = [];
  });
  afterEach(() => {
    // The key never reaches a log line, whatever the outcome.
    const text = JSON.stringify(log);
    for (const secret of secrets) assert.ok(!text.includes(secret), `a key leaked into the request log: ${text}`);
  });

  it('401 (wrong key) → invalidKey, after one key check', async () => {
    const error = await failsWith(makeClient({ apiKey: WRONG_KEY }).listPage(CONTACTS), 'invalidKey');
    assert.equal(error.details.status, 401);
    assert.match(error.message, /401/);
    assert.deepEqual(fx.sandbox.requests().map((r) => [r.path, r.status]), [['/api/v2/contacts/get', 401], ['/api/v2/token/verify', 401]]);
  });

  it('403 (limited key on users_clicks) → forbidden, naming the endpoint users_clicks/get', async () => {
    const limited = makeClient({ apiKey: fx.sandbox.bdLimitedKey });
    const list = await failsWith(limited.listPage(USERS_CLICKS), 'forbidden');
    assert.match(list.message, /users_clicks\/get/);
    assert.equal(list.details.status, 403);
    assert.match(list.details.serverMessage ?? '', /permission/);
    const one = await failsWith(limited.get(USERS_CLICKS, 1), 'forbidden');
    assert.match(one.message, /users_clicks\/get/);
    // The same key still works where it is enabled.
    assert.equal((await limited.listPage(CONTACTS, { limit: 1 })).records.length, 1);
  });

  it('404 → notFound', async () => {
    const error = await failsWith(makeClient().get(CONTACTS, 424_242), 'notFound');
    assert.equal(error.details.status, 404);
    assert.equal(fx.sandbox.requests().length, 1, 'a 404 is not retried');
  });

  // 405 is not reachable through the client: every method uses the one verb its endpoint takes and
  // the client never calls users_clicks/search (the sandbox's other 405). The mapping is checked directly.
  it('405 → badRequest naming the verb (mapping only; not reachable through the client)', () => {
    const error = statusError(405, 'Method not allowed', { endpoint: 'contacts/update', method: 'PUT', mask: (t) => t });
    assert.equal(error.kind, 'badRequest');
    assert.match(error.message, /PUT/);
    assert.match(error.message, /405/);
  });

  it('429 that persists → rateLimited', async () => {
    fx.sandbox.configure({ rateLimit: { requests: 1, windowMs: 60_000 } });
    const client = makeClient();
    await client.listPage(CONTACTS, { limit: 1 });
    const error = await failsWith(client.listPage(CONTACTS, { limit: 1 }), 'rateLimited');
    assert.equal(error.details.status, 429);
    assert.deepEqual(fx.sandbox.requests().map((r) => r.status), [200, 429]);
  });

  it('500 that persists → server, after the GET retries', async () => {
    fx.sandbox.configure({ faults: { serverErrorRate: 1, dropRate: 0 } });
    const error = await failsWith(makeClient().listPage(CONTACTS), 'server');
    assert.equal(error.details.status, 500);
    assert.equal(fx.sandbox.requests().length, 3);
    assert.ok(fx.sandbox.requests().every((r) => r.status === 500));
  });

  it('nothing listening → network', async () => {
    const port = await closedPort();
    const error = await failsWith(makeClient({ siteUrl: `http://127.0.0.1:${port}` }).listPage(CONTACTS), 'network');
    assert.match(error.message, /127\.0\.0\.1/);
    assert.equal(log.filter((e) => e.status === 'error').length, 3, 'a GET is retried on a network error');
  });

  it('a reply slower than timeoutMs → timeout', async () => {
    fx.sandbox.configure({ latencyMs: 400 });
    const error = await failsWith(makeClient({ timeoutMs: 100, retry: { attempts: 1 } }).listPage(CONTACTS), 'timeout');
    assert.equal(error.details.endpoint, 'contacts/get');
    await settle(fx.sandbox, 1); // the sandbox logs after its latency: let it, so the next test's log is clean
    assert.equal(fx.sandbox.requests().length, 1, 'attempts: 1 means one request');
  });

  for (const status of [403, 200]) {
    it(`an HTML page with HTTP ${status} → unexpectedReply saying HTML, the status, the content type and the first bytes`, async () => {
      fx.sandbox.configure({ htmlMode: { status } });
      const error = await failsWith(makeClient().listPage(CONTACTS), 'unexpectedReply');
      assert.match(error.message, /HTML/);
      assert.match(error.message, new RegExp(`HTTP ${status}`));
      assert.match(error.message, /text\/html/);
      assert.ok(error.message.includes('<!DOCTYPE html><html><head><title>'), error.message);
      assert.equal(error.details.status, status);
      assert.match(error.details.contentType ?? '', /text\/html/);
      assert.ok(error.details.snippet?.startsWith('<!DOCTYPE html>'));
      assert.equal(fx.sandbox.requests().filter((r) => r.path === '/api/v2/contacts/get').length, 1);
    });
  }

  describe('replies the sandbox cannot produce (stub server)', () => {
    const stub = withStubServer();
    const stubClient = () => makeClient({ siteUrl: stub.url, apiKey: STUB_KEY });

    it('truncated JSON → unexpectedReply that says it is not valid JSON', async () => {
      stub.next = { status: 200, body: '{"status":"success","message":[{"contact_id":"1","first_na' };
      const error = await failsWith(stubClient().listPage(CONTACTS), 'unexpectedReply');
      assert.match(error.message, /not valid JSON/);
      assert.ok(error.message.includes('{"status":"success","message":[{"contact_id":"1"'));
    });

    it('an empty body → unexpectedReply', async () => {
      stub.next = { status: 200, body: '' };
      const error = await failsWith(stubClient().get(CONTACTS, 1), 'unexpectedReply');
      assert.match(error.message, /empty/);
    });

    it('{"status":"error"} without a message → unexpectedReply', async () => {
      stub.next = { status: 200, body: '{"status":"error"}' };
      const error = await failsWith(stubClient().listPage(CONTACTS), 'unexpectedReply');
      assert.match(error.message, /message/);
    });

    it('a record holding a number instead of a string → unexpectedReply naming the field', async () => {
      stub.next = { status: 200, body: JSON.stringify({ status: 'success', message: [{ contact_id: '1', zip_code: 2134 }], total: '1', current_page: 1, total_pages: 1, next_page: '' }) };
      const list = await failsWith(stubClient().listPage(CONTACTS), 'unexpectedReply');
      assert.match(list.message, /zip_code/);
      stub.next = { status: 200, body: JSON.stringify({ status: 'success', message: [{ contact_id: 1 }] }) };
      await failsWith(stubClient().get(CONTACTS, 1), 'unexpectedReply');
    });

    it('a list envelope without total_pages → unexpectedReply', async () => {
      stub.next = { status: 200, body: JSON.stringify({ status: 'success', message: [], total: '0', current_page: 1, next_page: '' }) };
      const error = await failsWith(stubClient().listPage(CONTACTS), 'unexpectedReply');
      assert.match(error.message, /total_pages/);
    });

    it('a server message that repeats the key is masked', async () => {
      stub.next = { status: 400, body: JSON.stringify({ status: 'error', message: `Key ${STUB_KEY} may not filter` }) };
      const error = await failsWith(stubClient().listPage(CONTACTS), 'badRequest');
      assert.match(error.message, /\*\*\*/);
    });

    it('an HTML page that echoes the request headers has the key masked in message and snippet', async () => {
      stub.next = { status: 403, type: 'text/html', body: `<html><head><title>Blocked ${STUB_KEY}</title></head><body>X-Api-Key: ${STUB_KEY}</body></html>` };
      const error = await failsWith(stubClient().listPage(CONTACTS), 'unexpectedReply');
      assert.match(error.message, /HTML/);
    });

    it('sends the key only as the X-Api-Key header, never in the URL or body', async () => {
      stub.next = { status: 200, body: JSON.stringify({ status: 'success', message: 'contacts record was deleted' }) };
      stub.hits.length = 0;
      await stubClient().delete(CONTACTS, 9);
      const [hit] = stub.hits;
      assert.equal(hit!.headers['x-api-key'], STUB_KEY);
      assert.ok(!hit!.url.includes(STUB_KEY));
      assert.ok(!hit!.body.includes(STUB_KEY));
      assert.equal(hit!.body, 'contact_id=9');
      assert.match(String(hit!.headers['content-type']), /application\/x-www-form-urlencoded/);
    });
  });

  it('the sandbox sees the key on every request, and never in a query or body', async () => {
    const client = makeClient();
    await client.listPage(CONTACTS, { limit: 2, filters: [{ field: 'city', operator: 'eq', value: 'Miami' }] });
    const original = await client.get(CONTACTS, 1);
    await client.update(CONTACTS, original, { ...original, city: 'Tampa' });
    await client.create(CONTACTS, { first_name: 'Key', last_name: 'Check' });
    await client.delete(CONTACTS, 2);
    const requests = fx.sandbox.requests();
    assert.equal(requests.length, 5);
    for (const request of requests) {
      assert.equal(request.apiKeyPresent, true, `${request.method} ${request.path}`);
      assert.ok(!JSON.stringify(request.query).includes(fx.sandbox.bdKey));
      assert.ok(!JSON.stringify(request.body).includes(fx.sandbox.bdKey));
    }
    assert.ok(log.length >= 5);
  });

  it('ApiError is an Error whose String() names the kind of failure without secrets', async () => {
    const error = await failsWith(makeClient({ apiKey: WRONG_KEY }).get(CONTACTS, 1), 'invalidKey');
    assert.ok(error instanceof Error);
    assert.match(String(error), /^ApiError: /);
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
