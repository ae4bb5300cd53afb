/**
 * About how long the rest of an export will take, in ms: the requests left at the pace seen so
 * far, but never less than the rate limit allows. With `used` requests already in the current
 * window and at most `limit` per `windowMs`, n more requests need floor((used + n − 1) / limit)
 * further windows.
 */
export function estimateTimeLeftMs(input: {
  readonly requestsLeft: number;
  readonly msPerRequest: number;
  readonly limit: number;
  readonly used: number;
  readonly windowMs: number;
}): number {
  const { requestsLeft, msPerRequest, limit, used, windowMs } = input;
  if (requestsLeft <= 0) return 0;
  const paced = Math.floor((used + requestsLeft - 1) / Math.max(1, limit)) * windowMs;
  return Math.max(requestsLeft * msPerRequest, paced);
}
