/**
 * Faults on demand, programmable from tests and drills: added latency, 5xx answers, connection resets, a
 * body cut short, malformed JSON, a failure on page N of a list, an answer slower than any timeout. A rule
 * matches requests by operation, method, path and page; it can skip the first matches and fire a number
 * of times. A fault strikes before the operation runs (Okta did nothing), or, with `lostAnswer`, after it:
 * Okta acted, and the answer is lost on its way (the ambiguous failure a create must not repeat blindly).
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
  /** Carry the operation out first, then answer with the fault instead of its answer. Default false. */
  lostAnswer?: boolean;
  fault: Fault;
}

/** Removes the rule when called; `fired` says how many requests it has struck so far. */
export type FaultHandle = (() => void) & { readonly fired: number };

/** A fault that strikes a request, and whether it strikes after the operation has run. */
export interface StrikingFault {
  fault: Fault;
  lostAnswer: boolean;
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

  /** Adds a rule; returns a function that removes it, which also tells how often it fired. */
  add(rule: FaultRule): FaultHandle {
    const active: ActiveRule = { rule, seen: 0, fired: 0 };
    this.rules.push(active);
    const remove = () => {
      this.rules = this.rules.filter((r) => r !== active);
    };
    return Object.defineProperty(remove, 'fired', { get: () => active.fired }) as FaultHandle;
  }

  clear(): void {
    this.rules = [];
  }

  /** The faults that strike this request (latency combines with one other fault). */
  match(target: FaultTarget): StrikingFault[] {
    const faults: StrikingFault[] = [];
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
      faults.push({ fault: rule.fault, lostAnswer: rule.lostAnswer === true });
    }
    return faults;
  }
}
