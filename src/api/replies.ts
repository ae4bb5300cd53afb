import { msg, type LocalisableText, type TextArg } from './text';
import type * as z from 'zod/mini';
import { ApiError, type ApiErrorKind } from './errors';
import { snippetOfMasked, type RawReply } from './requestLayer';
import { describeIssues } from './schemas';

export interface ReplyContext {
  readonly endpoint: string;
  readonly method: string;
  /** Masks a whole text (see redact.ts): every piece shown is cut from its result, never masked after the cut alone. */
  readonly mask: (text: string) => string;
}

/** Says what came back when it was not the API's JSON: an HTML page, nothing, or a broken document. */
export function notJsonError(reply: RawReply, ctx: ReplyContext): ApiError {
  // Masked whole, before the snippet is cut or the title picked out: a key straddling the
  // cut, or holding a "<" that would end the title early, must go whole.
  const masked = ctx.mask(reply.text);
  const details = { status: reply.status, endpoint: ctx.endpoint, method: ctx.method, contentType: reply.contentType || 'no content type', snippet: snippetOfMasked(masked, ctx.mask) };
  if (reply.status >= 300 && reply.status < 400) {
    const location = ctx.mask(reply.location ?? '');
    let origin = location;
    try {
      origin = new URL(location).origin;
    } catch {
      // A relative or broken Location: name it as it came.
    }
    return new ApiError('unexpectedReply', location
      ? msg`The site answered ${ctx.endpoint} with a redirect (HTTP ${reply.status}) to ${location}: the site answers from ${origin}, so use that address for it (Edit Site…). The request was not sent there.`
      : msg`The site answered ${ctx.endpoint} with a redirect (HTTP ${reply.status}) without saying where to. Check the site's address.`, details);
  }
  const looksHtml = /html/i.test(reply.contentType) || /^\s*</.test(reply.text);
  if (looksHtml) {
    const rawTitle = /<title[^>]*>([^<]*)<\/title>/i.exec(masked)?.[1];
    const title = rawTitle === undefined ? '' : snippetOfMasked(rawTitle, ctx.mask, 120);
    return new ApiError('unexpectedReply', msg`The site answered ${ctx.endpoint} with an HTML page${title ? ` ("${title}")` : ''} instead of the API's JSON (HTTP ${reply.status}, ${details.contentType}). A firewall, a login page or a wrong address is in front of the API: check the site URL, or ask the host to allow API requests. It began: ${details.snippet}`, details);
  }
  if (reply.text.trim() === '') {
    return new ApiError('unexpectedReply', msg`The site answered ${ctx.endpoint} with an empty reply (HTTP ${reply.status}, ${details.contentType}) instead of JSON. Try again; if it persists, the API may be switched off for this site.`, details);
  }
  return new ApiError('unexpectedReply', msg`The site's reply to ${ctx.endpoint} is not valid JSON (HTTP ${reply.status}, ${details.contentType}); it may have been cut off. It began: ${details.snippet}`, details);
}

/** Checks a reply against the shape the API promises; a mismatch is an error that shows what came back. */
export function expectShape<S extends z.ZodMiniType>(schema: S, reply: RawReply, ctx: ReplyContext, what: string): z.infer<S> {
  const result = schema.safeParse(reply.json);
  if (!result.success) {
    const snippet = snippetOfMasked(ctx.mask(reply.text), ctx.mask);
    throw new ApiError('unexpectedReply', msg`The reply to ${ctx.endpoint} is not ${what} as the API documents it (${describeIssues(result.error)}). HTTP ${reply.status}, ${reply.contentType || 'no content type'}; it began: ${snippet}`, {
      status: reply.status, endpoint: ctx.endpoint, method: ctx.method, contentType: reply.contentType, snippet,
    });
  }
  return result.data;
}

/** Turns a non-success status into the error of its cause, with the server's words when it gave any. */
export function statusError(status: number, serverMessage: string | undefined, ctx: ReplyContext): ApiError {
  // The server's whole message is masked; it is never cut.
  const masked = serverMessage ? ctx.mask(serverMessage) : undefined;
  const said: TextArg = masked ? msg`: "${masked}"` : '';
  const details = { status, endpoint: ctx.endpoint, method: ctx.method, serverMessage: masked };
  const [kind, message]: [ApiErrorKind, LocalisableText] =
    status === 401 ? ['invalidKey', msg`The API key was refused (HTTP 401${said}). Create a new key in the site's Admin → Developer Hub and set it for this site.`]
    : status === 403 ? ['forbidden', msg`This API key is not allowed to use ${ctx.endpoint} (HTTP 403${said}). Enable that endpoint for the key in the site's Admin → Developer Hub, or use a key that has it.`]
    : status === 404 ? ['notFound', msg`Not found: ${ctx.endpoint} (HTTP 404${said}). The record may have been deleted.`]
    : status === 405 ? ['badRequest', msg`The site does not allow ${ctx.method} on ${ctx.endpoint} (HTTP 405${said}).`]
    : status === 429 ? ['rateLimited', msg`Too many requests (HTTP 429${said}). Wait a minute, or lower the requests-per-minute setting for this site.`]
    : status >= 500 ? ['server', msg`The site had an internal error answering ${ctx.endpoint} (HTTP ${status}${said}). Try again in a moment; if it persists, contact the site's host.`]
    : ['badRequest', msg`The site refused ${ctx.method} ${ctx.endpoint} (HTTP ${status}${said}).`];
  return new ApiError(kind, message, details);
}
