import { msg } from './text';
import { ApiError } from './errors';

/** Where Copernica's REST API lives when a site names no address. */
export const COPERNICA_DEFAULT_URL = 'https://api.copernica.com';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

/**
 * Reduces whatever a user pasted ("example.com", "https://www.example.com/",
 * ".../api/v2") to the site's origin. Plain http is refused except on loopback, because the
 * key travels with every request.
 */
export function normaliseSiteUrl(input: string): string {
  let text = input.trim();
  if (!text) throw new ApiError('invalidInput', msg`The site address is empty.`, { field: 'url' });
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `https://${text}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ApiError('invalidInput', msg`"${input}" is not a web address. Enter it like https://www.example.com.`, { field: 'url' });
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new ApiError('invalidInput', msg`"${input}" does not use https://. The key is sent with every request, so only https:// addresses (or a loopback address for testing) are allowed.`, { field: 'url' });
  }
  let path = url.pathname.replace(/\/+$/, '');
  path = path.replace(/\/api\/v2$/i, '').replace(/\/api$/i, '');
  return `${url.protocol}//${url.host}${path}`;
}
