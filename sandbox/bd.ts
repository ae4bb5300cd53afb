// Brilliant Directories API v2 routes under /api/v2/: key check, rate limit, token/verify, and
// get (one or a list), create, update, delete and search per model.

import * as http from 'node:http';
import { isBdModelName, SCHEMAS, tableColumns, type BdModelName, type StoredRecord } from './data';
import { clampLimit, decodeCursor, DEFAULT_LIMIT, encodeCursor, orderedRows } from './cursors';
import { parseFilters } from './filters';
import { bdError, json, lastParam, lastValues, type ParsedBody, type Reply } from './http';
import { allowRequest, type State } from './state';

export const SANDBOX_BD_KEY = 'sandbox-bd-key';

export const SANDBOX_BD_LIMITED_KEY = 'sandbox-bd-key-limited';

const EMPTY_LIST = { status: 'success', message: [], total: 0, current_page: 1, total_pages: 0, next_page: '', prev_page: '' } as const;

function pickRecord(record: StoredRecord, fields: readonly string[]): StoredRecord {
  const out: StoredRecord = {};
  for (const f of fields) if (f in record) out[f] = record[f];
  return out;
}

function listReply(state: State, model: BdModelName, params: URLSearchParams): Reply {
  const schema = SCHEMAS[model];
  const conditions = parseFilters(params, schema, state.store.now().getTime());
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
  const columns = tableColumns(schema);
  if (conditions.some((c) => !columns.includes(c.column) && !schema.virtualFields.includes(c.column))) {
    return json(200, EMPTY_LIST);
  }
  // Virtual columns (contacts: cid, after, bucket) are accepted and have no effect.
  const active = conditions.filter((c) => columns.includes(c.column));
  const orderParam = lastParam(params, 'order_column');
  const column = orderParam && columns.includes(orderParam) ? orderParam : null; // unknown column: default order
  const desc = (lastParam(params, 'order_type') ?? '').trim().toUpperCase() === 'DESC';
  // A custom column a record does not carry reads as NULL.
  const rows = orderedRows(state, model, column, desc).filter((r) => active.every((c) => c.test(r[c.column] ?? null)));
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

/** Writable (non-pk, non-auto) table columns, custom ones included, from a form body; last value wins. */
function writableFields(model: BdModelName, form: Map<string, string>): Map<string, string> {
  const schema = SCHEMAS[model];
  const out = new Map<string, string>();
  for (const f of tableColumns(schema)) {
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
  return json(200, { status: 'success', message: pickRecord(outcome.record, tableColumns(schema).filter((f) => echo.has(f))) });
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

export function bdReply(state: State, method: string, path: string, headers: http.IncomingHttpHeaders, url: URL, body: ParsedBody): Reply {
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
