/**
 * Faults of event hook deliveries, programmable from tests: what a receiver must survive. A retry after a
 * lost answer reaches it a second time with the same eventId, a delivery may be late, and deliveries of one
 * hook that are under way side by side may arrive in any order. Unlike the request faults (faults.ts), these
 * strike the calls the sandbox makes, not the calls it answers.
 *
 * - `duplicate`: the delivery is sent twice, with the same eventId.
 * - `delay`: the delivery waits `ms` before it is sent.
 * - `reorder`: the delivery's events are sent newest first, and the delivery is held back until the next
 *   delivery to the same hook has been sent (at most `ms`, default 1000), so a later batch overtakes it.
 * - `drop`: an attempt is lost on its way: never sent, it counts as a timeout at once, so Okta's retry
 *   follows (a rule that strikes twice loses both attempts, and the delivery fails).
 */
export type DeliveryFault =
  | { kind: 'duplicate' }
  | { kind: 'delay'; ms: number }
  | { kind: 'reorder'; ms?: number }
  /** `attempt`: only that attempt (1: the first, so Okta's retry gets through). Default: any. */
  | { kind: 'drop'; attempt?: 1 | 2 };

export type DeliveryFaultRule = DeliveryFault & {
  /** Only deliveries to this hook (by id). */
  hookId?: string;
  /** How many deliveries it strikes (for `drop`, attempts). Default: all of them. */
  times?: number;
};

/** Removes the rule when called; `fired` says how many times it has struck so far. */
export type DeliveryFaultHandle = (() => void) & { readonly fired: number };

interface ActiveRule {
  rule: DeliveryFaultRule;
  fired: number;
}

export class DeliveryFaults {
  private rules: ActiveRule[] = [];

  add(rule: DeliveryFaultRule): DeliveryFaultHandle {
    const active: ActiveRule = { rule, fired: 0 };
    this.rules.push(active);
    const remove = () => {
      this.rules = this.rules.filter((candidate) => candidate !== active);
    };
    return Object.defineProperty(remove, 'fired', { get: () => active.fired }) as DeliveryFaultHandle;
  }

  clear(): void {
    this.rules = [];
  }

  /** The first rule of this kind that strikes a delivery (or attempt) to the hook now (counted as fired). */
  strike<K extends DeliveryFault['kind']>(
    kind: K,
    hookId: string,
    attempt?: number,
  ): Extract<DeliveryFault, { kind: K }> | undefined {
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.kind !== kind || (rule.hookId !== undefined && rule.hookId !== hookId)) continue;
      if ('attempt' in rule && rule.attempt !== undefined && rule.attempt !== attempt) continue;
      if (active.fired >= (rule.times ?? Number.POSITIVE_INFINITY)) continue;
      active.fired += 1;
      return rule as Extract<DeliveryFault, { kind: K }>;
    }
    return undefined;
  }
}
