// Copernica REST v2 `GET /v2/ms/clicks`: token in the query, begintime/endtime, fields[]
// conditions, unique, start/limit paging, oldest first.

import { SCHEMAS, type StoredRecord } from './data';
import { copernicaError, copernicaJson, lastParam, type Reply } from './http';
import { allowRequest, type State } from './state';

export const SANDBOX_COPERNICA_TOKEN = 'sandbox-copernica-token';

const INTEGER = /^-?\d+$/;

/** Copernica's fields[] conditions: numeric when both sides are integer strings, else plain (code unit) string order. */
function compareValues(a: string, b: string): number {
  if (INTEGER.test(a) && INTEGER.test(b)) {
    const d = Number(a) - Number(b);
    return d < 0 ? -1 : d > 0 ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

const COPERNICA_TIME = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2}))?$/;

export function copernicaReply(state: State, method: string, path: string, url: URL): Reply {
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
