import type { CostHistoryStore, StoredCostDay } from './history-store.ts';

/** The cost history in memory: for tests, previews and a single process. */
export class MemoryCostHistoryStore implements CostHistoryStore {
  readonly stored = new Map<string, StoredCostDay>();
  refresh: { at: number; failedAt: number | null } | null = null;
  readonly budget = new Map<string, number>();
  private readonly leases = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async days(from: string, to: string): Promise<StoredCostDay[]> {
    return [...this.stored.values()]
      .filter((d) => d.date >= from && d.date < to)
      .sort((a, b) => a.date.localeCompare(b.date))
      .map((d) => structuredClone(d));
  }

  async putDays(days: StoredCostDay[]): Promise<void> {
    for (const d of days) this.stored.set(d.date, structuredClone(d));
  }

  async lastRefresh() {
    return this.refresh ? { ...this.refresh } : null;
  }

  async recordRefresh(at: number, failed: boolean): Promise<void> {
    this.refresh = failed ? { at: this.refresh?.at ?? 0, failedAt: at } : { at, failedAt: null };
  }

  async reserveRequest(month: string, max: number): Promise<boolean> {
    const used = this.budget.get(month) ?? 0;
    if (used >= max) return false;
    this.budget.set(month, used + 1);
    return true;
  }

  async requestsUsed(month: string): Promise<number> {
    return this.budget.get(month) ?? 0;
  }

  async acquireLease(key: string, ttlMs: number): Promise<boolean> {
    const until = this.leases.get(key);
    if (until !== undefined && until > this.now()) return false;
    this.leases.set(key, this.now() + ttlMs);
    return true;
  }

  async releaseLease(key: string): Promise<void> {
    this.leases.delete(key);
  }
}
