// The control API under /__sandbox/ (no key, never faulted, limited or delayed): what
// SandboxControl (control.ts) calls from another process.

import { isModelName, type FieldInput } from './data';
import type { SandboxConfig } from './config';
import type { FaultSpec } from './faults';
import { isObject, json, type HttpReply } from './http';
import type { State } from './state';
import type { Sandbox } from './types';

export function controlReply(sb: Sandbox, state: State, method: string, path: string, raw: Buffer | null): HttpReply {
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
