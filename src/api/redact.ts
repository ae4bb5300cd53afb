/**
 * Masks credentials in any text that may reach a user or a log. Copernica puts its token
 * in the query string, so URLs are masked by parameter name as well as by known value.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(/(access_token=)[^&\s"'#]*/gi, '$1***');
  out = out.replace(/(x-api-key["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, '$1***');
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}
