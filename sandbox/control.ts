// Typed client for the sandbox control API (/__sandbox/*), for tests that run in
// another process (e.g. the VS Code extension host). Type-only imports keep this
// file free of the server at runtime, so it can be bundled into test code.

import type { FaultSpec, FieldInput, KeyEcho, ModelName, PendingFault, RecordedRequest, SandboxClock, SandboxConfig, SandboxInfo, StoredRecord } from './server';

export type {
  FaultKind,
  FaultSpec,
  FieldInput,
  KeyEcho,
  KeyEchoEncoding,
  ModelName,
  PendingFault,
  RecordedRequest,
  SandboxClock,
  SandboxConfig,
  SandboxInfo,
  StoredRecord,
} from './server';

export class SandboxControlError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'SandboxControlError';
  }
}

export class SandboxControl {
  private readonly base: string;

  constructor(baseUrl: string) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  requests(): Promise<RecordedRequest[]> {
    return this.call<RecordedRequest[]>('GET', '/requests');
  }

  async clearRequests(): Promise<void> {
    await this.call('DELETE', '/requests');
  }

  /** Returns the config now in force. */
  configure(patch: Partial<SandboxConfig>): Promise<SandboxConfig> {
    return this.call<SandboxConfig>('POST', '/config', patch);
  }

  /**
   * Every API request is answered with an HTML page (default 403) quoting the key or token
   * that request carried, encoded and placed as `echo` says; `configure({ htmlMode: null })`
   * or `reset()` ends it.
   */
  echoKeyPage(echo: KeyEcho, status = 403): Promise<SandboxConfig> {
    return this.configure({ htmlMode: { status, echoKey: echo } });
  }

  /**
   * Stops the sandbox clock at `at` (`YYYY-MM-DD HH:MM:SS`, UTC; a Date is cut to its second):
   * every write stamps that revision_timestamp / date_updated until the clock moves. Freeze
   * again to move it; `unfreezeClock()` or `reset()` returns to real time.
   */
  freezeClock(at: string | Date): Promise<SandboxConfig> {
    return this.configure({ clock: { frozenAt: at instanceof Date ? at.toISOString().slice(0, 19) : at } });
  }

  unfreezeClock(): Promise<SandboxConfig> {
    return this.configure({ clock: null });
  }

  /** The sandbox's current second (`YYYY-MM-DD HH:MM:SS`, UTC) and whether it is frozen. */
  clock(): Promise<SandboxClock> {
    return this.call<SandboxClock>('GET', '/clock');
  }

  /**
   * Aims a fault at the next `count` (default 1) API requests matching method and path
   * (exact, or a prefix ending in `*`); returns it with its defaults filled in. Faults come
   * before HTML mode and the random faults; `clearFaults()` and `reset()` remove them.
   */
  addFault(spec: FaultSpec): Promise<PendingFault> {
    return this.call<PendingFault>('POST', '/faults', spec);
  }

  /** Faults not yet used up, oldest first (`count` = requests still to answer). */
  faults(): Promise<PendingFault[]> {
    return this.call<PendingFault[]>('GET', '/faults');
  }

  async clearFaults(): Promise<void> {
    await this.call('DELETE', '/faults');
  }

  config(): Promise<SandboxConfig> {
    return this.call<SandboxConfig>('GET', '/config');
  }

  async reset(): Promise<void> {
    await this.call('POST', '/reset');
  }

  info(): Promise<SandboxInfo> {
    return this.call<SandboxInfo>('GET', '/info');
  }

  /** The stored record, or undefined when there is none. */
  async getRecord(model: ModelName, id: string | number): Promise<StoredRecord | undefined> {
    try {
      return await this.call<StoredRecord>('GET', this.recordPath(model, id));
    } catch (e) {
      if (e instanceof SandboxControlError && e.status === 404) return undefined;
      throw e;
    }
  }

  /** Merges fields like someone else editing on the site (bumps revision_timestamp etc.). */
  putRecord(model: ModelName, id: string | number, fields: Record<string, FieldInput>): Promise<StoredRecord> {
    return this.call<StoredRecord>('PUT', this.recordPath(model, id), fields);
  }

  /**
   * Creates a record behind the client's back, with the next auto-increment id (above every id
   * the table has had); returns it as stored. Unknown fields → 400 (SandboxControlError).
   */
  createRecord(model: ModelName, fields: Record<string, FieldInput> = {}): Promise<StoredRecord> {
    return this.call<StoredRecord>('POST', `/records/${encodeURIComponent(model)}`, fields);
  }

  /** Appends `count` Copernica clicks made now (the sandbox clock), with the next IDs; returns them. */
  addClicks(count: number): Promise<StoredRecord[]> {
    return this.call<StoredRecord[]>('POST', '/copernica/clicks', { count });
  }

  /** Deletes behind the client's back; false when there was nothing to delete. */
  async deleteRecord(model: ModelName, id: string | number): Promise<boolean> {
    try {
      await this.call('DELETE', this.recordPath(model, id));
      return true;
    } catch (e) {
      if (e instanceof SandboxControlError && e.status === 404) return false;
      throw e;
    }
  }

  private recordPath(model: string, id: string | number): string {
    return `/records/${encodeURIComponent(model)}/${encodeURIComponent(String(id))}`;
  }

  private async call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}/__sandbox${path}`, {
      method,
      headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let payload: unknown = undefined;
    try {
      payload = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: report the raw text below.
    }
    if (!res.ok) {
      const message =
        typeof payload === 'object' && payload !== null && typeof (payload as { error?: unknown }).error === 'string'
          ? (payload as { error: string }).error
          : text || res.statusText;
      throw new SandboxControlError(`sandbox control ${method} ${path}: ${res.status} ${message}`, res.status);
    }
    return payload as T;
  }
}
