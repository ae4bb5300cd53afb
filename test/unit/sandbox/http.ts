// Raw HTTP helpers for the sandbox's own tests: no client library in between, so a test sees
// exactly what the sandbox answers.

import type { Sandbox } from '../../../sandbox/server';

export type Json = Record<string, unknown>;

export interface RawReply {
  status: number;
  type: string;
  headers: Headers;
  text: string;
  json(): Json;
}

export interface SandboxHttp {
  /** GET (or `init.method`) on /api/v2/{path} with the full key unless `key` says otherwise (null = none). */
  bd(path: string, init?: RequestInit & { key?: string | null }): Promise<RawReply>;
  /** A form-encoded write on /api/v2/{path}. */
  form(method: string, path: string, fields: Record<string, string> | [string, string][]): Promise<RawReply>;
  /** A list request; `params` become the query string. */
  list(model: string, params: Record<string, string> | [string, string][]): Promise<{ total: number; ids: string[]; body: Json }>;
  /** GET /v2/ms/clicks with the token and `params`. */
  clicks(params?: Record<string, string> | [string, string][]): Promise<Json>;
}

export function sandboxHttp(sb: () => Sandbox): SandboxHttp {
  const bd: SandboxHttp['bd'] = async (path, init = {}) => {
    const headers: Record<string, string> = {};
    const key = init.key === undefined ? sb().bdKey : init.key;
    if (key !== null) headers['X-Api-Key'] = key;
    const res = await fetch(`${sb().url}/api/v2/${path}`, { ...init, headers, redirect: 'manual' });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', headers: res.headers, text, json: () => JSON.parse(text) as Json };
  };
  const pk = (model: string) => ({ contacts: 'contact_id', website_notifications: 'notification_id', users_clicks: 'click_id' })[model] ?? 'id';
  return {
    bd,
    form: (method, path, fields) => bd(path, { method, body: new URLSearchParams(fields) }),
    list: async (model, params) => {
      const reply = await bd(`${model}/get?${new URLSearchParams(params).toString()}`);
      if (reply.status !== 200) throw new Error(`list ${model}: ${reply.status} ${reply.text}`);
      const body = reply.json();
      return { total: Number(body.total), ids: (body.message as Json[]).map((r) => r[pk(model)] as string), body };
    },
    clicks: async (params = {}) => {
      const query = new URLSearchParams(params);
      query.set('access_token', sb().copernicaToken);
      const res = await fetch(`${sb().url}/v2/ms/clicks?${query.toString()}`);
      if (res.status !== 200) throw new Error(`clicks: ${res.status} ${await res.text()}`);
      return (await res.json()) as Json;
    },
  };
}
