/**
 * System Log polling for a trigger: `poll()` reads what Okta stored since the cursor and returns the
 * trigger's events and the cursor to continue from. It runs list-log-events in its follow mode (Okta's
 * polling query: no `until`, events in the order Okta stored them, the `next` link as the cursor), so the
 * run gets the runtime's rate-limit handling (the logs bucket), timeouts, retries and error envelope.
 *
 * The cursor is ours and opaque to the host: Okta's next link, the org it belongs to, the trigger and
 * filters it was made for (another list or org is refused), and the ids of the last events read, so that
 * an event met again across a page boundary is not returned twice.
 */
import { createHash } from 'node:crypto';
import { normalizeApiAddress } from '../connection/api-address.js';
import { ActionError, type ActionErrorEnvelope } from '../errors/action-error.js';
import type { HostOptions } from '../runtime/execute.js';
import { execute } from '../runtime/execute.js';
import type { ResultMeta } from '../runtime/results.js';
import {
  checkTriggerEvent,
  invalid,
  type ResolvedSubscription,
  resolveSubscription,
  stableJson,
} from './catalog.js';
import { type LogEvent, type TriggerEvent, triggerEventOf } from './event-shape.js';
import { matchesTrigger } from './matching.js';
import { eventFilterFor } from './okta-filter.js';

export interface PollRequest {
  connection: unknown;
  /** The trigger key. */
  trigger: string;
  input?: Record<string, unknown>;
  /** The cursor of the previous poll; without it the poll starts at `since`, or now. */
  cursor?: string;
  /** Where the first poll starts (at most 90 days back; Okta keeps no more). Default: now. */
  since?: string;
  /** The most System Log events one poll reads (before filtering), 1 to 5000. Default 1000. */
  maxEvents?: number;
  signal?: AbortSignal;
}

/** An event that matched but did not fit the trigger's output schema: reported, not handed to the flow. */
export interface RejectedEvent {
  uuid: string;
  eventType: string;
  problems: string[];
}

export interface PollOutput {
  events: TriggerEvent[];
  /** Where the next poll continues. Always set: the log has no end. */
  cursor: string;
  /** System Log events read (before the trigger's filters). */
  eventsRead: number;
  /** True when the poll read everything Okta had stored; false when it stopped at maxEvents. */
  caughtUp: boolean;
  rejected: RejectedEvent[];
}

export type PollResult =
  | { ok: true; output: PollOutput; meta: ResultMeta }
  | { ok: false; error: ActionErrorEnvelope; meta?: ResultMeta };

const PAGE_SIZE = 1000;
const DEFAULT_MAX_EVENTS = 1000;
const MAX_EVENTS = 5000;
/** Ids of the last events read, kept in the cursor; an event met again across pages is one of these. */
const RECENT_IDS = 100;
const RETENTION_MS = 90 * 24 * 3600 * 1000;

interface CursorState {
  /** list-log-events' cursor (Okta's next link). */
  list: string;
  /** Which org, trigger and filters the cursor was made for (a hash). */
  scope: string;
  recent: string[];
}

/** Polls once. Never throws: every failure is `{ ok: false, error }`. */
export async function poll(request: PollRequest, options?: HostOptions): Promise<PollResult> {
  try {
    return await pollOnce(request, options);
  } catch (error) {
    if (error instanceof ActionError) return { ok: false, error: error.envelope };
    return {
      ok: false,
      error: { code: 'INTERNAL', message: 'The poll failed unexpectedly.', retryable: false },
    };
  }
}

async function pollOnce(request: PollRequest, options: HostOptions | undefined): Promise<PollResult> {
  if (typeof request !== 'object' || request === null) throw invalid('request', 'must be an object');
  const subscription = await resolveSubscription({ key: request.trigger, input: request.input }, 'trigger');
  const scope = scopeOf(request.connection, subscription, options);
  const maxEvents = request.maxEvents ?? DEFAULT_MAX_EVENTS;
  if (!Number.isInteger(maxEvents) || maxEvents < 1 || maxEvents > MAX_EVENTS)
    throw invalid('maxEvents', `must be a whole number from 1 to ${MAX_EVENTS}`);
  const state = request.cursor ? decodeCursor(request.cursor, scope) : undefined;
  const listed = await execute(
    'list-log-events',
    {
      connection: request.connection,
      input: {
        follow: true,
        limit: Math.min(PAGE_SIZE, maxEvents),
        maxItems: maxEvents,
        ...(state
          ? { cursor: state.list }
          : { since: startOf(request.since), ...eventFilterFor(subscription) }),
      },
      ...(request.signal ? { signal: request.signal } : {}),
    },
    options,
  );
  if (!listed.ok) return { ok: false, error: listed.error, meta: listed.meta };
  const read = listed.output.events as LogEvent[];
  const seen = new Set(state?.recent ?? []);
  const fresh = read.filter((event) => !seen.has(event.uuid));
  const { events, rejected } = await eventsFor(subscription, fresh);
  const recent = [...(state?.recent ?? []), ...read.map((e) => e.uuid)].slice(-RECENT_IDS);
  const cursor = encodeCursor({ list: listed.output.nextCursor ?? state?.list ?? '', scope, recent });
  return {
    ok: true,
    output: { events, cursor, eventsRead: read.length, caughtUp: read.length < maxEvents, rejected },
    meta: listed.meta,
  };
}

async function eventsFor(subscription: ResolvedSubscription, read: LogEvent[]) {
  const events: TriggerEvent[] = [];
  const rejected: RejectedEvent[] = [];
  for (const event of read) {
    if (!matchesTrigger(subscription.trigger, subscription.input, event)) continue;
    const shaped = triggerEventOf(subscription.trigger, event);
    const problems = await checkTriggerEvent(subscription.trigger, shaped);
    if (problems.length === 0) events.push(shaped);
    else
      rejected.push({
        uuid: event.uuid,
        eventType: event.eventType,
        problems: problems.map((p) => `${p.path || '(event)'} ${p.message}`),
      });
  }
  return { events, rejected };
}

function startOf(since: string | undefined): string {
  if (since === undefined) return new Date().toISOString();
  const at = Date.parse(since);
  if (Number.isNaN(at))
    throw invalid('since', 'must be an ISO 8601 date and time, like 2026-11-20T08:00:00Z');
  if (at < Date.now() - RETENTION_MS)
    throw invalid('since', 'is more than 90 days ago; Okta keeps events for 90 days');
  return new Date(at).toISOString();
}

/** The org, trigger and filters a cursor belongs to, hashed: a cursor is refused anywhere else. */
function scopeOf(
  connection: unknown,
  subscription: ResolvedSubscription,
  options: HostOptions | undefined,
): string {
  const address = (connection as { apiAddress?: unknown } | null)?.apiAddress;
  const normalized = normalizeApiAddress(address, { allowLoopback: options?.allowLoopback === true });
  const org = normalized.ok ? normalized.orgUrl : String(address);
  const what = stableJson({ org, trigger: subscription.trigger.key, input: subscription.input });
  return createHash('sha256').update(what).digest('base64url').slice(0, 16);
}

function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify({ v: 1, l: state.list, s: state.scope, r: state.recent })).toString(
    'base64url',
  );
}

function decodeCursor(cursor: string, scope: string): CursorState {
  let raw: { v?: unknown; l?: unknown; s?: unknown; r?: unknown };
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    raw = {};
  }
  const recent =
    Array.isArray(raw.r) && raw.r.every((id) => typeof id === 'string') ? (raw.r as string[]) : null;
  if (raw.v !== 1 || typeof raw.l !== 'string' || typeof raw.s !== 'string' || !recent)
    throw invalid('cursor', 'is not a cursor from a previous poll; pass its cursor exactly');
  if (raw.s !== scope)
    throw invalid(
      'cursor',
      'belongs to another trigger, other filters or another org; start a new poll without it',
    );
  return { list: raw.l, scope: raw.s, recent };
}
