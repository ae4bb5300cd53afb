/** How much of a site's rate limit the requests of the current window have used. */
export interface BudgetUse {
  readonly used: number;
  readonly limit: number;
  readonly windowMs: number;
}

/**
 * Counts the requests each site was sent in the last window, from the request log (every
 * attempt the API layer makes reaches it), so the status bar can show what is left.
 */
export class RequestBudget {
  private readonly sent = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  record(site: string): void {
    const times = this.sent.get(site) ?? [];
    times.push(this.now());
    this.sent.set(site, times);
  }

  use(site: string, limit: number, windowMs = 60_000): BudgetUse {
    const since = this.now() - windowMs;
    const times = (this.sent.get(site) ?? []).filter((t) => t > since);
    this.sent.set(site, times);
    return { used: times.length, limit, windowMs };
  }

  rename(from: string, to: string): void {
    const times = this.sent.get(from);
    this.sent.delete(from);
    if (times) this.sent.set(to, times);
  }
}
