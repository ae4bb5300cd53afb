// Local stand-in for the Brilliant Directories API v2 and Copernica `GET /v2/ms/clicks`,
// reproducing the quirks in shared/spec/API-NOTES.md so tests, benchmarks and the
// demo exercise the same edge cases as the real services. Node built-ins only.

import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatDateTime, makeRng, SandboxStore } from './data';
import { bdReply, SANDBOX_BD_KEY, SANDBOX_BD_LIMITED_KEY } from './bd';
import { cloneConfig, DEFAULT_FAULT_SEED, defaultConfig, mergeConfig } from './config';
import { controlReply } from './controlApi';
import { copernicaReply, SANDBOX_COPERNICA_TOKEN } from './copernica';
import { bdOrCopernicaServerError, faultReply, parseFaultSpec, takeFault } from './faults';
import { htmlPage } from './firewall';
import { bdError, paramsToRecord, parseBody, readBody, requestKey, send, type ParsedBody, type Reply } from './http';
import { clockMs, requestSnapshot, type State } from './state';
import type { Sandbox, SandboxOptions } from './types';

// What tests, bench and scripts import from here; the code is split by vendor and concern (README).
export type { FieldInput, ModelName, StoredRecord } from './data';
export type { SandboxConfig } from './config';
export type { FaultKind, FaultSpec, PendingFault } from './faults';
export { mysqlNumber } from './filters';
export { KEY_ECHO_ENCODINGS, encodeKeyEcho, keyEchoPage, type KeyEcho, type KeyEchoEncoding } from './firewall';
export type { RecordedRequest, Sandbox, SandboxClock, SandboxInfo, SandboxOptions } from './types';

function apiReply(state: State, req: http.IncomingMessage, url: URL, body: ParsedBody | null): Reply {
  const method = req.method ?? 'GET';
  const path = url.pathname;
  if (body === null) return bdError(413, 'Request entity too large');
  if (path === '/api/v2' || path.startsWith('/api/v2/')) return bdReply(state, method, path, req.headers, url, body);
  if (path === '/v2' || path.startsWith('/v2/')) return copernicaReply(state, method, path, url);
  return bdError(404, 'Endpoint not found');
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
    const fault = takeFault(state.faults, method, url.pathname);
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
