/**
 * The trigger catalog (`manifest.triggers`) and the subscriptions a host makes from it: a trigger key and
 * its input, checked against the trigger's input schema before anything is subscribed, polled or served.
 */
import { createHash } from 'node:crypto';
import { ActionError, type InputProblem } from '../errors/action-error.js';
import { findTrigger, manifest } from '../manifest/manifest.js';
import { loadValidators } from '../schema/validation.js';
import type { TriggerDefinition } from './definition.js';
import type { TriggerEvent } from './event-shape.js';
import { eventTypesOf } from './matching.js';

export { findTrigger };

/** Every trigger of the manifest. */
export function triggerDefinitions(): readonly TriggerDefinition[] {
  return manifest.triggers;
}

/** What a host subscribes a flow to: a trigger key and its filters. */
export interface TriggerSubscription {
  /** Names the flow for deduplication; default: the key and a hash of the input. */
  id?: string;
  key: string;
  input?: Record<string, unknown>;
}

export interface ResolvedSubscription {
  id: string;
  trigger: TriggerDefinition;
  /** The input after its schema's defaults. */
  input: Record<string, unknown>;
  eventTypes: string[];
}

/** Checks every subscription (its key, its input); INVALID_INPUT naming the field otherwise. */
export async function resolveSubscriptions(
  list: unknown,
  field = 'triggers',
): Promise<ResolvedSubscription[]> {
  if (!Array.isArray(list) || list.length === 0) {
    throw invalid(field, 'must be a non-empty list of { key, input } (the triggers to subscribe to)');
  }
  const resolved: ResolvedSubscription[] = [];
  for (const [index, entry] of list.entries()) {
    resolved.push(await resolveSubscription(entry, `${field}[${index}]`));
  }
  const ids = new Set<string>();
  for (const [index, subscription] of resolved.entries()) {
    if (ids.has(subscription.id)) throw invalid(`${field}[${index}].id`, `repeats the id ${subscription.id}`);
    ids.add(subscription.id);
  }
  return resolved;
}

export async function resolveSubscription(entry: unknown, field: string): Promise<ResolvedSubscription> {
  if (typeof entry !== 'object' || entry === null) throw invalid(field, 'must be an object { key, input }');
  const { id, key, input } = entry as Record<string, unknown>;
  const trigger = typeof key === 'string' ? findTrigger(key) : undefined;
  if (!trigger) {
    const known = triggerDefinitions().map((t) => t.key);
    throw invalid(`${field}.key`, `is not a trigger of okta-actions; the triggers are: ${known.join(', ')}`);
  }
  if (id !== undefined && (typeof id !== 'string' || id === '' || id.length > 200)) {
    throw invalid(`${field}.id`, 'must be a string of 1 to 200 characters');
  }
  const validators = await loadValidators();
  const checked = validators.checkInput(`trigger:${trigger.key}`, trigger.input, input ?? {});
  if (checked.problems.length > 0) throw invalidProblems(`${field}.input`, checked.problems);
  const value = checked.value as Record<string, unknown>;
  return {
    id: typeof id === 'string' ? id : defaultId(trigger.key, value),
    trigger,
    input: value,
    eventTypes: eventTypesOf(trigger, value),
  };
}

/** Problems of an event shaped for a trigger, against the trigger's output schema ([] when valid). */
export async function checkTriggerEvent(
  trigger: TriggerDefinition,
  event: TriggerEvent,
): Promise<InputProblem[]> {
  const validators = await loadValidators();
  return validators.checkOutput(`trigger:${trigger.key}`, trigger.output, event);
}

/** The key, and a short hash of the input when it has filters: the same flow gets the same id. */
function defaultId(key: string, input: Record<string, unknown>): string {
  if (Object.keys(input).length === 0) return key;
  return `${key}:${createHash('sha256').update(stableJson(input)).digest('base64url').slice(0, 12)}`;
}

/** JSON with object keys sorted, so that equal inputs give equal text. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function invalid(path: string, message: string): ActionError {
  return new ActionError('INVALID_INPUT', `"${path}" ${message}`, { details: [{ path, message }] });
}

function invalidProblems(prefix: string, problems: InputProblem[]): ActionError {
  const details = problems.map((p) => ({ ...p, path: p.path ? `${prefix}.${p.path}` : prefix }));
  const first = details[0] as InputProblem;
  return new ActionError('INVALID_INPUT', `"${first.path}" ${first.message}`, { details });
}
