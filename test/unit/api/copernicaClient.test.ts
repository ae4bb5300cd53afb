import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { CopernicaClient, type CopernicaClientOptions } from '../../../src/api/copernicaClient';
import type { ApiError } from '../../../src/api/errors';
import type { RequestLogEntry } from '../../../src/api/requestLayer';
import { assertNoSecrets, rejectsWithKind, withStubServer } from '../support/apiAssert';
import { apiRequests, settle } from '../support/sandboxHelpers';
import { withSandboxApi } from '../support/sandboxApi';

const WRONG_TOKEN = 'wrong-token-55aa66bb77cc';
const STUB_TOKEN = 'stub-token-0f1e2d3c4b5a';

describe('CopernicaClient against the sandbox', function () {
  this.timeout(20_000);
  const fx = withSandboxApi('none');
  let client: CopernicaClient;
  let log: RequestLogEntry[];
  let secrets: string[];

  const makeClient = (options: Partial<CopernicaClientOptions> = {}): CopernicaClient =>
    fx.make('copernicaClient', { retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50, rateLimitRetries: 0 }, log: (entry) => log.push(entry), ...options });

  async function failsWith(work: Promise<unknown>, kind: ApiError['kind']): Promise<ApiError> {
    const error = await rejectsWithKind(work, kind);
    assertNoSecrets(error, secrets);
    return error;
  }

  const clicksRequests = () => apiRequests(fx.sandbox, 'ms/clicks', 'GET');

  before(() => {
    secrets = [fx.sandbox.copernicaToken, fx.sandbox.bdKey, WRONG_TOKEN, STUB_TOKEN];
    client = makeClient();
  });
  beforeEach(() => {
    log = [];
  });
  afterEach(() => {
    const text = JSON.stringify(log);
    for (const secret of secrets) assert.ok(!text.includes(secret), `a token leaked into the request log: ${text}`);
  });

  describe('listClicks', () => {
    it('pages with start / limit and reports the total', async () => {
      const seen = new Set<string>();
      for (let start = 0; start < 335; start += 100) {
        const page = await client.listClicks({ start, limit: 100 });
        assert.equal(page.start, start);
        assert.equal(page.total, 335);
        assert.equal(page.count, Math.min(100, 335 - start));
        assert.equal(page.records.length, page.count);
        for (const record of page.records) seen.add(record['ID']!);
      }
      assert.equal(seen.size, 335);
      const requests = clicksRequests();
      assert.deepEqual(requests.map((r) => [r.query['start'], r.query['limit']]), [['0', '100'], ['100', '100'], ['200', '100'], ['300', '100']]);
      assert.ok(requests.every((r) => r.query['total'] === undefined && r.apiKeyPresent));
    });

    it('sends total=false when asked, and then total is undefined', async () => {
      const page = await client.listClicks({ limit: 5, total: false });
      assert.equal(page.total, undefined);
      assert.equal(page.records.length, 5);
      assert.equal(clicksRequests()[0]!.query['total'], 'false');
    });

    it('keeps click values as the API sent them: strings and nulls, in the documented order', async () => {
      const { records } = await client.listClicks({ limit: 1 });
      const stored = fx.sandbox.store.getRecord('copernica_clicks', records[0]!['ID']!)!;
      assert.deepEqual(records[0], stored);
      assert.deepEqual(Object.keys(records[0]!), ['ID', 'mailing', 'link', 'timestamp', 'ip', 'useragent', 'destination', 'profile', 'subprofile']);
    });

    it('passes begintime, endtime and unique through', async () => {
      const begintime = '2014-11-01 00:00:00';
      const endtime = '2014-12-01 00:00:00';
      const page = await client.listClicks({ begintime, endtime, unique: true, limit: 1000 });
      const [request] = clicksRequests();
      assert.equal(request!.query['begintime'], begintime);
      assert.equal(request!.query['endtime'], endtime);
      assert.equal(request!.query['unique'], 'true');
      assert.ok(page.records.length > 0 && page.records.length < 335);
      assert.ok(page.records.every((r) => r['timestamp']! >= begintime && r['timestamp']! < endtime));
      const keys = page.records.map((r) => `${r['destination']}|${r['link']}`);
      assert.equal(new Set(keys).size, keys.length, 'unique=true still returned repeated clicks');
    });

    it('does not send unique when it is false', async () => {
      await client.listClicks({ unique: false, limit: 1 });
      assert.equal(clicksRequests()[0]!.query['unique'], undefined);
    });

    it('refuses a limit above 1000 (or below 1), a negative start and a malformed begintime / endtime locally', async () => {
      assert.equal((await failsWith(client.listClicks({ limit: 1001 }), 'invalidInput')).details.field, 'limit');
      await failsWith(client.listClicks({ limit: 0 }), 'invalidInput');
      await failsWith(client.listClicks({ limit: 2.5 }), 'invalidInput');
      assert.equal((await failsWith(client.listClicks({ start: -1 }), 'invalidInput')).details.field, 'start');
      for (const begintime of ['2014-11-01', '2014/11/01 00:00:00', '2014-11-01T00:00:00', '20141101000000', 'yesterday']) {
        assert.equal((await failsWith(client.listClicks({ begintime }), 'invalidInput')).details.field, 'begintime');
      }
      assert.equal((await failsWith(client.listClicks({ endtime: '2014-11-01 0:00:00' }), 'invalidInput')).details.field, 'endtime');
      await failsWith(async function* () { yield* client.clicks({ limit: 5000 }); }().next(), 'invalidInput');
      assert.deepEqual(fx.sandbox.requests(), []);
    });

    it('accepts the bound limit 1000', async () => {
      const page = await client.listClicks({ limit: 1000 });
      assert.equal(page.records.length, 335);
    });
  });

  describe('clicks()', () => {
    it('iterates all 335 clicks exactly once, without asking for a count', async () => {
      const ids: string[] = [];
      for await (const click of client.clicks()) ids.push(click['ID']!);
      assert.equal(ids.length, 335);
      assert.equal(new Set(ids).size, 335);
      assert.ok(clicksRequests().every((r) => r.query['total'] === 'false'));
    });

    it('pages by `limit`, stopping on the short page', async () => {
      const ids: string[] = [];
      for await (const click of client.clicks({ limit: 100 })) ids.push(click['ID']!);
      assert.equal(new Set(ids).size, 335);
      assert.equal(ids.length, 335);
      assert.deepEqual(clicksRequests().map((r) => r.query['start']), ['0', '100', '200', '300']);
    });

    it('stops on an exact multiple of the limit after one empty page', async () => {
      const ids: string[] = [];
      for await (const click of client.clicks({ limit: 67 })) ids.push(click['ID']!); // 335 = 5 × 67
      assert.equal(new Set(ids).size, 335);
      assert.equal(clicksRequests().length, 6);
    });

    it('with injected 500s still yields every click exactly once', async () => {
      const sturdy = makeClient({ retry: { attempts: 8, baseDelayMs: 5, maxDelayMs: 20 } });
      fx.sandbox.configure({ faults: { serverErrorRate: 0.2, dropRate: 0, seed: 7 } });
      const ids: string[] = [];
      for await (const click of sturdy.clicks({ limit: 20 })) ids.push(click['ID']!);
      assert.equal(ids.length, 335);
      assert.equal(new Set(ids).size, 335);
      assert.ok(clicksRequests().some((r) => r.status === 500), 'no fault was injected');
    });
  });

  describe('errors and secrets', () => {
    it('a bad token → invalidKey, and the token is not in the error', async () => {
      const error = await failsWith(makeClient({ token: WRONG_TOKEN }).listClicks(), 'invalidKey');
      assert.equal(error.details.status, 400);
      assert.match(error.message, /access token/);
      assert.equal(clicksRequests().length, 1);
    });

    // Copernica's "Invalid method" (an unknown path) cannot be reached through the client, which only
    // ever asks for ms/clicks; the mapping is exercised with the stub server below.

    it('500 that persists → server after retries', async () => {
      fx.sandbox.configure({ faults: { serverErrorRate: 1, dropRate: 0 } });
      await failsWith(client.listClicks(), 'server');
      assert.equal(clicksRequests().length, 3);
    });

    it('429 that persists → rateLimited', async () => {
      fx.sandbox.configure({ rateLimit: { requests: 1, windowMs: 60_000 } });
      await client.listClicks({ limit: 1 });
      await failsWith(client.listClicks({ limit: 1 }), 'rateLimited');
    });

    it('an HTML page → unexpectedReply, without the token', async () => {
      fx.sandbox.configure({ htmlMode: { status: 403 } });
      const error = await failsWith(client.listClicks(), 'unexpectedReply');
      assert.match(error.message, /HTML/);
      assert.match(error.message, /HTTP 403/);
      assert.match(error.message, /text\/html/);
    });

    it('dropped connections → network, without the token', async () => {
      fx.sandbox.configure({ faults: { serverErrorRate: 0, dropRate: 1 } });
      await failsWith(client.listClicks(), 'network');
      assert.equal(clicksRequests().length, 3);
    });

    it('nothing listening → network, without the token', async () => {
      const port = await closedPort();
      await failsWith(makeClient({ baseUrl: `http://127.0.0.1:${port}` }).listClicks(), 'network');
    });

    it('a reply slower than timeoutMs → timeout, without the token', async () => {
      fx.sandbox.configure({ latencyMs: 400 });
      await failsWith(makeClient({ timeoutMs: 100, retry: { attempts: 1 } }).listClicks(), 'timeout');
      await settle(fx.sandbox, 1);
    });

    it('log entries show the token as access_token=*** and never the token itself', async () => {
      await client.listClicks({ limit: 2 });
      await rejectsWithKind(makeClient({ token: WRONG_TOKEN }).listClicks({ limit: 2 }), 'invalidKey');
      assert.ok(log.length >= 2);
      const lines = log.map((entry) => JSON.stringify(entry));
      assert.ok(lines.every((line) => !line.includes(fx.sandbox.copernicaToken) && !line.includes(WRONG_TOKEN)));
      assert.ok(lines.some((line) => line.includes('access_token=***')), `no entry shows access_token=***: ${lines.join('\n')}`);
    });

    describe('stub server', () => {
      const stub = withStubServer();
      const stubClient = () => makeClient({ baseUrl: stub.url, token: STUB_TOKEN });

      it('sends the token as the access_token query parameter over the /v2/ base', async () => {
        stub.next = { status: 200, body: JSON.stringify({ start: 0, limit: 1, count: 0, total: 0, data: [] }) };
        stub.hits.length = 0;
        await stubClient().listClicks({ limit: 1 });
        const url = new URL(stub.hits[0]!.url, stub.url);
        assert.equal(url.pathname, '/v2/ms/clicks');
        assert.equal(url.searchParams.get('access_token'), STUB_TOKEN);
      });

      it('an "Invalid method" reply → notFound', async () => {
        stub.next = { status: 400, body: JSON.stringify({ error: { message: 'Invalid method' } }) };
        await failsWith(stubClient().listClicks(), 'notFound');
      });

      it('a bad-token reply that repeats the token does not leak it', async () => {
        stub.next = { status: 400, body: JSON.stringify({ error: { message: `Invalid access token ${STUB_TOKEN}` } }) };
        await failsWith(stubClient().listClicks(), 'invalidKey');
      });

      it('a click with a number value → unexpectedReply', async () => {
        stub.next = { status: 200, body: JSON.stringify({ start: 0, limit: 1, count: 1, data: [{ ID: '1', mailing: 2 }] }) };
        await failsWith(stubClient().listClicks(), 'unexpectedReply');
      });

      it('a page without data → unexpectedReply', async () => {
        stub.next = { status: 200, body: JSON.stringify({ start: 0, limit: 1, count: 1 }) };
        await failsWith(stubClient().listClicks(), 'unexpectedReply');
      });

      it('truncated JSON → unexpectedReply', async () => {
        stub.next = { status: 200, body: '{"start":0,"limit":100,"count":100,"data":[{"ID":"1"' };
        const error = await failsWith(stubClient().listClicks(), 'unexpectedReply');
        assert.match(error.message, /not valid JSON/);
      });
    });
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
