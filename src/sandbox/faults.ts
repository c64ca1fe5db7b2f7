/**
 * Faults on demand, programmable from tests and drills: added latency, 5xx answers, connection resets, a
 * body cut short, malformed JSON, a failure on page N of a list, an answer slower than any timeout. A rule
 * matches requests by operation, method, path and page; it can skip the first matches and fire a number
 * of times.
 */
export type Fault =
  | { kind: 'status'; status: number; body?: unknown }
  | { kind: 'reset' }
  | { kind: 'truncate' }
  | { kind: 'malformed-json' }
  | { kind: 'latency'; ms: number }
  | { kind: 'hang'; ms?: number };

export interface FaultRule {
  /** Only requests for this operation (operationId, like listUsers). */
  operationId?: string;
  method?: string;
  /** Only requests whose path matches (a string matches as a prefix). */
  path?: string | RegExp;
  /** Only the Nth page of a list (1 is the first page). */
  page?: number;
  /** Let this many matching requests through before the fault starts. Default 0. */
  after?: number;
  /** How many matching requests it strikes. Default: all of them. */
  times?: number;
  fault: Fault;
}

export interface FaultTarget {
  operationId: string | undefined;
  method: string;
  path: string;
  page: number;
}

interface ActiveRule {
  rule: FaultRule;
  seen: number;
  fired: number;
}

export class Faults {
  private rules: ActiveRule[] = [];

  /** Adds a rule; returns a function that removes it. */
  add(rule: FaultRule): () => void {
    const active: ActiveRule = { rule, seen: 0, fired: 0 };
    this.rules.push(active);
    return () => {
      this.rules = this.rules.filter((r) => r !== active);
    };
  }

  clear(): void {
    this.rules = [];
  }

  /** The faults that strike this request (latency combines with one other fault). */
  match(target: FaultTarget): Fault[] {
    const faults: Fault[] = [];
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.operationId && rule.operationId !== target.operationId) continue;
      if (rule.method && rule.method.toUpperCase() !== target.method) continue;
      if (rule.page !== undefined && rule.page !== target.page) continue;
      if (typeof rule.path === 'string' && !target.path.startsWith(rule.path)) continue;
      if (rule.path instanceof RegExp && !rule.path.test(target.path)) continue;
      active.seen += 1;
      if (active.seen <= (rule.after ?? 0)) continue;
      if (active.fired >= (rule.times ?? Number.POSITIVE_INFINITY)) continue;
      active.fired += 1;
      faults.push(rule.fault);
    }
    return faults;
  }
}
