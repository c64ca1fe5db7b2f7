/**
 * Group rules ("users whose profile matches this expression belong to these groups"): reading a rule
 * raw, describing it in an output, and the shape every rule lifecycle action shares (read the rule,
 * answer "already as asked" without a request, refuse an INVALID rule, otherwise send one call).
 */

import { ActionError } from '../errors/action-error.js';
import type { ActionHandler } from '../handler/define-action.js';
import type { OktaContext } from '../handler/okta-context.js';
import { oktaPath } from '../transport/paths.js';
import { applyOnce } from './create-once.js';

/** A group rule as Okta sends it; only what the actions read is typed. */
export interface OktaGroupRuleJson {
  id: string;
  name?: string;
  status: string;
  conditions?: {
    expression?: { type?: string; value?: string };
    people?: { users?: { exclude?: string[] } };
  };
  actions?: { assignUserToGroups?: { groupIds?: string[] } };
  [field: string]: unknown;
}

/** The stable top-level fields a flow maps, plus the whole rule under `rule`. */
export interface GroupRuleResultFields {
  id: string;
  name: string;
  status: string;
  expression: string | null;
  groupIds: string[];
  excludedUserIds: string[];
  rule: OktaGroupRuleJson;
}

/** The only expression type Okta's group rules take. */
export const GROUP_RULE_EXPRESSION_TYPE = 'urn:okta:expression:1.0';

export function groupRulePath(ruleId: string, suffix = ''): string {
  return `${oktaPath('/api/v1/groups/rules/{groupRuleId}', { groupRuleId: ruleId })}${suffix}`;
}

export function readGroupRule(okta: OktaContext, ruleId: string): Promise<OktaGroupRuleJson> {
  return okta.getJson<OktaGroupRuleJson>(groupRulePath(ruleId));
}

export function groupRuleResult(rule: OktaGroupRuleJson): GroupRuleResultFields {
  return {
    id: rule.id,
    name: rule.name ?? '',
    status: rule.status,
    expression: rule.conditions?.expression?.value ?? null,
    groupIds: rule.actions?.assignUserToGroups?.groupIds ?? [],
    excludedUserIds: rule.conditions?.people?.users?.exclude ?? [],
    rule,
  };
}

/**
 * Okta marks a rule INVALID when a group it names is deleted; such a rule can only be read or deleted
 * (Okta answers 403 E0000038 to activating or deactivating it).
 */
export function invalidRuleConflict(rule: OktaGroupRuleJson, actionKey: string): ActionError {
  return new ActionError(
    'CONFLICT',
    `The group rule "${rule.name ?? rule.id}" is INVALID (a group it names was deleted), so ${actionKey} cannot run: Okta only deletes such a rule. Use delete-group-rule, then create-group-rule with existing groups. Nothing was changed.`,
    { retryable: false },
  );
}

export interface GroupRuleStatusChange {
  id: string;
  name: string;
  status: string;
  previousStatus: string;
  changed: boolean;
}

export interface GroupRuleLifecycleSpec {
  /** The action's key, for messages. */
  actionKey: string;
  /** Okta's operation: the last segment of /api/v1/groups/rules/{id}/lifecycle/{operation}. */
  operation: 'activate' | 'deactivate';
  /** The rule's status once the operation is done. */
  resultStatus: 'ACTIVE' | 'INACTIVE';
  /** The SDK call that performs it. */
  send: (okta: OktaContext, ruleId: string) => Promise<unknown>;
}

/** Activating an ACTIVE rule or deactivating an INACTIVE one sends nothing: changed is false. */
export function groupRuleLifecycleHandler(
  spec: GroupRuleLifecycleSpec,
): ActionHandler<{ ruleId: string }, GroupRuleStatusChange> {
  return async ({ okta, input, change, settleLastChange }) => {
    const rule = await readGroupRule(okta, input.ruleId);
    const before = { id: rule.id, name: rule.name ?? '', previousStatus: rule.status };
    if (rule.status === spec.resultStatus) return { ...before, status: rule.status, changed: false };
    if (rule.status === 'INVALID') throw invalidRuleConflict(rule, spec.actionKey);
    const path = groupRulePath(rule.id, `/lifecycle/${spec.operation}`);
    await applyOnce(
      { change, settleLastChange },
      {
        step: `${spec.operation} rule`,
        request: { method: 'POST', path },
        send: () => spec.send(okta, rule.id),
        isDone: async () => (await readGroupRule(okta, rule.id)).status === spec.resultStatus,
      },
    );
    return { ...before, status: spec.resultStatus, changed: true };
  };
}
