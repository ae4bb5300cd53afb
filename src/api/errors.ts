import { renderText, type LocalisableText } from './text';
/** Why a request failed, so callers can react by cause rather than by parsing messages. */
export type ApiErrorKind =
  | 'invalidKey' // 401, or Copernica's "Invalid access token"
  | 'forbidden' // 403: the key is valid but this endpoint is not enabled for it
  | 'notFound' // 404
  | 'badRequest' // 400 / status "error" on a 200, e.g. "Invalid filter parameters"
  | 'rateLimited' // 429 that persisted after waiting the window out
  | 'server' // 5xx
  | 'network' // connection refused, reset, DNS, TLS
  | 'timeout'
  | 'unexpectedReply' // not the JSON the API promises: HTML, truncated, wrong shape
  | 'invalidInput' // refused before any request was made
  | 'stale' // a write not sent: the read it was checked against had grown older than the bound (see recheckBoundMs)
  | 'cancelled';

export interface ApiErrorDetails {
  readonly status?: number;
  readonly endpoint?: string;
  readonly method?: string;
  readonly contentType?: string;
  /** First bytes of the reply, secrets already masked. */
  readonly snippet?: string;
  /** For invalidInput: the field at fault. */
  readonly field?: string;
  /** The server's own words, when it gave any. */
  readonly serverMessage?: string;
  /** For cancelled: the request had gone out when it was stopped, so the server may have applied it. */
  readonly sent?: boolean;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly kind: ApiErrorKind,
    /** What the user is told; `message` is its English rendering, for logs and plain Node. */
    readonly text: LocalisableText,
    readonly details: ApiErrorDetails = {},
  ) {
    super(renderText(text));
  }
}

/**
 * Structural, not instanceof: the API layer is bundled separately (loaded on first use), so
 * the extension and the clients each hold their own copy of this class.
 */
export function isApiError(value: unknown, kind?: ApiErrorKind): value is ApiError {
  if (!(value instanceof Error) || value.name !== 'ApiError') return false;
  const actual = (value as { kind?: unknown }).kind;
  return typeof actual === 'string' && (kind === undefined || actual === kind);
}

/**
 * Whether a write that failed with `error` may still have been applied: a lost reply, a 5xx, a
 * 404 or an unreadable page (a gateway's) say the site failed, not that nothing happened. Only a
 * refusal before sending or a 4xx refusal proves it was not. A delete that may have been applied
 * keeps its journal copy; an update is read again before it is sent again.
 */
export function mayHaveApplied(error: unknown): boolean {
  if (error instanceof Error && error.name === 'WriteRefusedError') return false;
  if (isApiError(error, 'cancelled')) return error.details.sent === true;
  return !(isApiError(error, 'stale') || isApiError(error, 'invalidInput') || isApiError(error, 'badRequest') || isApiError(error, 'invalidKey') || isApiError(error, 'forbidden') || isApiError(error, 'rateLimited'));
}
