import { msg } from './text';
import { Pool, errors as undiciErrors } from 'undici';
import { ApiError } from './errors';
import { MAX_RETRY_AFTER_MS, RateLimiter, SYSTEM_CLOCK, instantInWords, parseRetryAfter, recheckBoundMs, waitInWords, type PacingClock, type RateLimit } from './rateLimiter';
import { createSecretMasker, type SecretMasker } from './redact';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type QueryValue = string | number | boolean | undefined | readonly string[];

export interface RequestLogEntry {
  readonly method: HttpMethod;
  /** Path and query with every credential masked. */
  readonly path: string;
  readonly status: number | 'error';
  readonly durationMs: number;
  readonly attempt: number;
  readonly note?: string;
  /** When it went out, on the pacing clock (ms since the epoch); absent for a note about no request. */
  readonly sentAt?: number;
}

export interface RetryPolicy {
  /** Attempts for a GET on a 5xx or a network error, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** How often a 429 is waited out before giving up. */
  readonly rateLimitRetries: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 300, maxDelayMs: 5000, rateLimitRetries: 2 };

export interface RequestLayerOptions {
  /** Origin plus base path, e.g. https://www.example.com/api/v2/ */
  readonly baseUrl: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Query parameters sent on every request (Copernica's token). */
  readonly fixedQuery?: Readonly<Record<string, string>>;
  /** Values to mask in every message and log line (their encoded forms are compiled once, here). */
  readonly secrets: readonly string[];
  readonly rateLimit: RateLimit | null;
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly log?: (entry: RequestLogEntry) => void;
  /** Connections kept alive to the site; the limiter, not this, sets the pace. */
  readonly connections?: number;
  /** The clock pacing, retry waits and rate-limit waits run on (tests pass a fake one). */
  readonly clock?: PacingClock;
}

export interface RequestSpec {
  readonly method: HttpMethod;
  /** Relative to baseUrl, without a leading slash. */
  readonly path: string;
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** Sent as application/x-www-form-urlencoded. */
  readonly form?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** How the endpoint is named in messages, e.g. "contacts/get". */
  readonly endpoint: string;
  /** A bulk job's request: it waits while any interactive request waits for a slot (see RateLimiter). */
  readonly background?: boolean;
  /**
   * A write checked against a read whose reply came at this time (the pacing clock): it is not
   * sent (ApiError `stale`, nothing sent) once more than recheckBoundMs has passed since — after
   * a wait for the rate limit, a 429's above all — so that it is checked again first.
   */
  readonly checkedAt?: number;
}

export interface RawReply {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  /** Parsed JSON; undefined when the body was not JSON (see `text`). */
  readonly json: unknown;
  readonly parsed: boolean;
  /** Where a redirect points (the Location header); redirects are never followed, since the key would go along. */
  readonly location?: string;
  /** The Retry-After header, as sent (a 429's). */
  readonly retryAfter?: string;
}

/**
 * The one HTTP path both clients share: pacing, retries, timeouts, keep-alive and
 * credential masking live here and nowhere else.
 */
export class RequestLayer {
  private readonly pool: Pool;
  private readonly limiter: RateLimiter | undefined;
  private readonly basePath: string;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly masker: SecretMasker;
  private readonly clock: PacingClock;

  constructor(private readonly options: RequestLayerOptions) {
    this.masker = createSecretMasker(options.secrets);
    const base = new URL(options.baseUrl);
    this.basePath = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
    this.pool = new Pool(base.origin, {
      connections: options.connections ?? 6,
      keepAliveTimeout: 30_000,
      pipelining: 1,
    });
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.limiter = options.rateLimit ? new RateLimiter(options.rateLimit, this.clock) : undefined;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  get rateLimit(): RateLimit | null {
    return this.options.rateLimit;
  }

  /** Masks a whole text; mask before cutting, decoding or picking a piece out of it (see redact.ts). */
  mask(text: string): string {
    return this.masker.mask(text);
  }

  async send(spec: RequestSpec): Promise<RawReply> {
    const idempotent = spec.method === 'GET';
    let attempt = 0;
    let rateLimitWaits = 0;
    for (;;) {
      attempt++;
      let outcome: RawReply | ApiError;
      try {
        outcome = await this.once(spec, attempt);
      } catch (error) {
        if (error instanceof ApiError) outcome = error;
        else throw error;
      }
      if (!(outcome instanceof ApiError) && outcome.status === 429) {
        // A 429 means the request was not processed, so even a create may go again.
        const now = this.clock.now();
        const asked = parseRetryAfter(outcome.retryAfter, now);
        if (asked !== undefined && asked > MAX_RETRY_AFTER_MS) {
          const until = now + asked;
          const error = (): ApiError => this.pausedTooLong(spec, asked, until);
          // Nothing goes to the site before the time it named, whoever asks: each fails at once instead of waiting that long.
          this.limiter?.refuseUntil(until, error);
          this.log(spec, 429, 0, attempt, `rate limited, the site asked for ${Math.round(asked / 1000)} s: not waited`);
          throw error();
        }
        if (rateLimitWaits >= this.retry.rateLimitRetries) {
          throw new ApiError('rateLimited', msg`The site is still refusing requests as too many (HTTP 429) after waiting twice (as long as it asked, or else the rate-limit window). Lower "requests per minute" for this site, or wait a minute and try again.`, { status: 429, endpoint: spec.endpoint, method: spec.method });
        }
        rateLimitWaits++;
        attempt--;
        // The site's Retry-After when it sent a usable one; otherwise the whole window.
        const waitMs = this.limiter ? this.limiter.backOff(asked) : (asked ?? 60_000);
        this.log(spec, 429, 0, attempt, `rate limited, waiting ${Math.round(waitMs / 1000)} s`);
        await this.sleep(waitMs, spec.signal);
        continue;
      }
      const retryable =
        outcome instanceof ApiError ? outcome.kind === 'network' || outcome.kind === 'timeout' : outcome.status >= 500;
      if (retryable && idempotent && attempt < this.retry.attempts) {
        const backoff = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
        await this.sleep(backoff * (0.75 + Math.random() * 0.5), spec.signal);
        continue;
      }
      if (outcome instanceof ApiError) {
        if (!idempotent && (outcome.kind === 'network' || outcome.kind === 'timeout')) {
          throw new ApiError(outcome.kind, msg`${outcome.text} The ${spec.method} request was not repeated, because the server may already have applied it: refresh to check before trying again.`, outcome.details);
        }
        throw outcome;
      }
      return outcome;
    }
  }

  async dispose(): Promise<void> {
    await this.pool.close().catch(() => undefined);
  }

  private async once(spec: RequestSpec, attempt: number): Promise<RawReply> {
    const path = this.buildPath(spec);
    const release = this.limiter ? await this.limiter.acquire(spec.signal, { background: spec.background }).catch((e) => this.rethrowAbort(e, spec)) : undefined;
    if (spec.checkedAt !== undefined) {
      // Checked at the last moment before sending: whatever the wait was (slots, a 429), a write never follows its check by more than the bound.
      const age = this.clock.now() - spec.checkedAt;
      const bound = recheckBoundMs(this.options.rateLimit);
      if (age > bound) {
        release?.(false);
        this.log(spec, 'error', 0, attempt, `not sent: its re-check is ${Math.round(age / 1000)} s old, over ${Math.round(bound / 1000)} s`);
        throw new ApiError('stale', msg`Not sent: the record was checked ${waitInWords(age)} before, longer than the ${waitInWords(bound)} a write may follow its check; it is to be read again first.`, { endpoint: spec.endpoint, method: spec.method, sent: false });
      }
    }
    const started = performance.now();
    const sentAt = this.clock.now();
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = spec.signal ? AbortSignal.any([spec.signal, timeout]) : timeout;
    const headers: Record<string, string> = { accept: 'application/json', ...this.options.headers };
    let body: string | undefined;
    if (spec.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(spec.form).toString();
    }
    try {
      const response = await this.pool.request({ method: spec.method, path, headers, body, signal });
      const text = await response.body.text();
      const contentType = String(response.headers['content-type'] ?? '');
      this.log(spec, response.statusCode, performance.now() - started, attempt, undefined, path, sentAt);
      let json: unknown;
      let parsed = false;
      if (text.length > 0) {
        try {
          json = JSON.parse(text);
          parsed = true;
        } catch {
          parsed = false;
        }
      }
      const location = response.headers['location'];
      const retryAfter = response.headers['retry-after'];
      return {
        status: response.statusCode, contentType, text, json, parsed,
        location: Array.isArray(location) ? location[0] : location,
        retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
      };
    } catch (error) {
      this.log(spec, 'error', performance.now() - started, attempt, this.mask(describe(error)), path, sentAt);
      if (spec.signal?.aborted) throw new ApiError('cancelled', msg`The request was cancelled.`, { endpoint: spec.endpoint, sent: true });
      if (timeout.aborted) {
        throw new ApiError('timeout', msg`${this.siteName()} did not answer ${spec.endpoint} within ${Math.round(this.timeoutMs / 1000)} s. Check that the site is up, then try again.`, { endpoint: spec.endpoint, method: spec.method });
      }
      throw new ApiError('network', msg`Could not reach ${this.siteName()} (${this.mask(describe(error))}). Check the site address and your connection, then try again.`, { endpoint: spec.endpoint, method: spec.method });
    } finally {
      release?.();
    }
  }

  private buildPath(spec: RequestSpec): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const item of value) params.append(key, item);
      else params.append(key, String(value));
    }
    for (const [key, value] of Object.entries(this.options.fixedQuery ?? {})) params.append(key, value);
    const query = params.toString();
    return `${this.basePath}${spec.path}${query ? `?${query}` : ''}`;
  }

  private log(spec: RequestSpec, status: number | 'error', durationMs: number, attempt: number, note?: string, path = this.buildPath(spec), sentAt?: number): void {
    if (!this.options.log) return;
    // The same path that went out, fixed query (Copernica's token) included: masked as sent
    // (encoded), decoded for reading, masked again. Decoding first would split a token
    // holding "&" or "#" so that neither the name nor the value rule saw all of it.
    this.options.log({ method: spec.method, path: this.masker.maskPath(path), status, durationMs: Math.round(durationMs), attempt, note, ...(sentAt === undefined ? {} : { sentAt }) });
  }

  /** The site asked (Retry-After) for a longer pause than is waited out: how long, and when to try again. */
  private pausedTooLong(spec: RequestSpec, askedMs: number, until: number): ApiError {
    return new ApiError(
      'rateLimited',
      msg`${this.siteName()} asked for a pause of ${waitInWords(askedMs)} (HTTP 429, too many requests), longer than the ${waitInWords(MAX_RETRY_AFTER_MS)} this extension waits. Nothing is sent to it until ${instantInWords(until, this.clock.now())}: try again after that.`,
      { status: 429, endpoint: spec.endpoint, method: spec.method },
    );
  }

  private siteName(): string {
    return new URL(this.options.baseUrl).host;
  }

  /** Rejects (cancelled) as soon as the signal aborts, or at once if it already has. */
  private sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const cancelled = (): ApiError => new ApiError('cancelled', msg`The request was cancelled.`);
      if (signal?.aborted) {
        reject(cancelled());
        return;
      }
      const onAbort = (): void => {
        cancel();
        reject(cancelled());
      };
      const cancel = this.clock.setTimer(ms, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private rethrowAbort(error: unknown, spec: RequestSpec): never {
    if (spec.signal?.aborted) throw new ApiError('cancelled', msg`The request was cancelled.`, { endpoint: spec.endpoint });
    throw error;
  }
}

function describe(error: unknown): string {
  if (error instanceof undiciErrors.UndiciError || error instanceof Error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const code = (error as { code?: string }).code ?? cause?.code;
    return [code, cause?.message ?? error.message].filter(Boolean).join(': ');
  }
  return String(error);
}

/**
 * The first characters of a reply, as text a person can read in one line. With `mask`, the
 * whole text is masked before it is cut, and the cut end again (see snippetOfMasked).
 */
export function snippetOf(text: string, max = 200, mask?: (text: string) => string): string {
  if (mask) return snippetOfMasked(mask(text), mask, max);
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/**
 * The first characters of a text that was masked whole; the piece is masked again after
 * the cut, so that the beginning of a key quoted only in part (by a server that cut its
 * reply) cannot end the snippet either.
 */
export function snippetOfMasked(masked: string, mask: (text: string) => string, max = 200): string {
  const flat = masked.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${mask(flat.slice(0, max))}…` : flat;
}
