/**
 * From the events of a delivery (or a poll) to the flows: each event is matched to every subscription,
 * shaped for its trigger and checked against the trigger's output schema; an event a flow already got is
 * dropped. The receiver and its tests use it; onEvent failures are reported, never thrown.
 */
import { checkTriggerEvent, type ResolvedSubscription } from './catalog.js';
import type { DedupeStore } from './dedupe.js';
import { type LogEvent, type TriggerEvent, triggerEventOf } from './event-shape.js';
import { matchesTrigger } from './matching.js';

/** What onEvent gets: the flow's subscription id, the trigger key and the event in the trigger's shape. */
export interface ReceivedEvent {
  subscriptionId: string;
  trigger: string;
  event: TriggerEvent;
}

export interface ReceiverProblem {
  kind: 'unauthorized' | 'too-large' | 'malformed' | 'rejected-event' | 'handler-failed' | 'internal';
  message: string;
  /** The event concerned, when there is one. */
  uuid?: string;
  subscriptionId?: string;
}

interface DispatchContext {
  subscriptions: readonly ResolvedSubscription[];
  dedupe: DedupeStore;
  onEvent: (event: ReceivedEvent) => unknown;
  report: (problem: ReceiverProblem) => void;
}

export async function dispatchEvents(events: readonly LogEvent[], context: DispatchContext): Promise<void> {
  for (const event of events) {
    for (const subscription of context.subscriptions) {
      if (!matchesTrigger(subscription.trigger, subscription.input, event)) continue;
      const shaped = triggerEventOf(subscription.trigger, event);
      const problems = await checkTriggerEvent(subscription.trigger, shaped);
      if (problems.length > 0) {
        context.report({
          kind: 'rejected-event',
          message: `the event does not fit ${subscription.trigger.key}: ${problems.map((p) => `${p.path || '(event)'} ${p.message}`).join('; ')}`,
          uuid: event.uuid,
          subscriptionId: subscription.id,
        });
        continue;
      }
      if (!(await context.dedupe.claim(`${subscription.id}\n${event.uuid}`))) continue;
      try {
        await context.onEvent({
          subscriptionId: subscription.id,
          trigger: subscription.trigger.key,
          event: shaped,
        });
      } catch (error) {
        context.report({
          kind: 'handler-failed',
          message: error instanceof Error ? error.message : String(error),
          uuid: event.uuid,
          subscriptionId: subscription.id,
        });
      }
    }
  }
}
