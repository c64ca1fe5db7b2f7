/**
 * okta-actions/triggers: flows that start from Okta events.
 *
 *   import { triggers, subscribe, createEventHookHandler, poll } from 'okta-actions/triggers';
 *
 * Two modes over one catalog (`manifest.triggers`): event hooks (Okta calls the host's receiver;
 * `subscribe()` sets the hook up, `createEventHookHandler()` is the receiver) and System Log polling
 * (`poll()` once, or `followTrigger()` as a loop). Both hand a flow the same events, in the trigger's
 * output shape, each once. See README, "Triggers".
 */
import { triggerDefinitions } from './catalog.js';

export type { TriggerSubscription } from './catalog.js';
export { triggerDefinitions } from './catalog.js';
export type { DedupeStore } from './dedupe.js';
export { memoryDedupeStore } from './dedupe.js';
export type { FilterRule, SubjectSource, TriggerDefinition } from './definition.js';
export type { LogEvent, TriggerEvent } from './event-shape.js';
export type { FollowRequest } from './follow.js';
export { followTrigger, TriggerError } from './follow.js';
export { matchesTrigger } from './matching.js';
export type { PollOutput, PollRequest, PollResult, RejectedEvent } from './poll.js';
export { poll } from './poll.js';
export type {
  EventHookHandler,
  EventHookHandlerOptions,
  ReceivedEvent,
  ReceiverProblem,
} from './receiver.js';
export { createEventHookHandler } from './receiver.js';
export type {
  SubscribeOutput,
  SubscribeRequest,
  SubscribeResult,
  UnsubscribeRequest,
  UnsubscribeResult,
} from './subscribe.js';
export { MAX_EVENT_TYPES_PER_HOOK, newEventHookSecret, subscribe, unsubscribe } from './subscribe.js';

/** The trigger catalog: manifest.triggers. */
export const triggers = triggerDefinitions();
