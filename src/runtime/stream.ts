/**
 * stream(): a list action's items one at a time, as an async iterator, for hosts that can consume one.
 *
 *   const users = stream('list-users', { connection, input: { search: 'profile.department eq "Sales"' } });
 *   for await (const user of users) { ... }          // every matching user, page after page
 *   users.summary                                    // { count, nextCursor, meta } once the loop is done
 *
 * It runs the action exactly as execute() does (same validation, connection, governor, retries, secret
 * redaction), but the pages go to the loop as they arrive instead of into one output, so memory stays at
 * a page or two whatever the length of the list. Each page is checked against the output schema's list
 * field before the loop sees it, as execute() checks its whole output. The next page is read while the loop works on the
 * current one, and no further: a slow loop slows the reading down instead of filling memory.
 *
 * Without `maxItems` in the input it streams the whole list (execute() stops at maxItems, 200 by
 * default). A failure throws a StreamError carrying execute()'s error envelope, after the items already
 * yielded: a loop that ends without an error has seen the complete list. Leaving the loop early (break,
 * return, an exception) cancels the reading at once.
 */
import { ActionError } from '../errors/action-error.js';
import { toErrorEnvelope } from '../errors/map-error.js';
import { redactSecrets } from '../errors/redact.js';
import type { ActionKey, ActionTypes } from '../generated/action-types.js';
import { type ActionContract, findAction } from '../manifest/manifest.js';
import { loadValidators } from '../schema/validation.js';
import type { PageSink } from '../transport/paginate.js';
import { outputContractError, runAction } from './action-run.js';
import { type HostOptions, type HostRequest, readHostRequest } from './host-call.js';
import type { ActionResult, ExecuteRequest, InputOf, ResultMeta } from './results.js';
import { rawSecrets } from './secrets.js';
import { StreamError } from './stream-error.js';

/** The item type of a list action's output array. */
type ArrayItem<Output> = {
  [Field in keyof Output]: Output[Field] extends Array<infer Item> ? Item : never;
}[keyof Output];
export type StreamItemOf<Key extends string> = Key extends ActionKey
  ? ArrayItem<ActionTypes[Key]['output']>
  : unknown;

export interface StreamSummary {
  /** Items yielded. */
  count: number;
  /** Where a later run continues when maxItems stopped the stream before the end; null at the end. */
  nextCursor: string | null;
  meta: ResultMeta;
}

export { StreamError };

export interface ListStream<Item> extends AsyncIterable<Item> {
  /** Set once the loop has run to the end of the stream. */
  readonly summary: StreamSummary | undefined;
}

/** The list actions that can stream: a `nextCursor` and exactly one array of items in the output. */
export function streamedField(contract: ActionContract): string | undefined {
  const properties = (contract.output.properties ?? {}) as Record<string, { type?: unknown }>;
  if (!properties.nextCursor) return undefined;
  const arrays = Object.keys(properties).filter((name) => properties[name]?.type === 'array');
  return arrays.length === 1 ? arrays[0] : undefined;
}

export function stream<Key extends string>(
  actionKey: Key,
  request: Omit<ExecuteRequest<InputOf<Key>>, 'dryRun'>,
  options: HostOptions = {},
): ListStream<StreamItemOf<Key>> {
  let summary: StreamSummary | undefined;
  return {
    get summary() {
      return summary;
    },
    async *[Symbol.asyncIterator]() {
      const call = readStreamRequest(actionKey, request);
      const refusal = refuseUnstreamable(actionKey, call.connection);
      if (refusal) throw refusal;
      const channel = new PageChannel(maxItemsOf(call.input), pageCheck(findAction(actionKey)!));
      const stop = new AbortController();
      const signal = call.signal ? AbortSignal.any([call.signal, stop.signal]) : stop.signal;
      const { connection } = call;
      const run = runAction(actionKey, { connection, input: call.input, signal }, options, {
        pageSink: channel,
      }).then((result) => channel.end(result));
      let count = 0;
      try {
        for (;;) {
          const next = await channel.next();
          if (next.items) {
            count += next.items.length;
            yield* next.items as Array<StreamItemOf<Key>>;
            continue;
          }
          const result = next.result!;
          if (!result.ok) throw new StreamError(result.error, result.meta);
          const output = result.output as { nextCursor?: string | null };
          summary = { count, nextCursor: output.nextCursor ?? null, meta: result.meta };
          return;
        }
      } finally {
        // The loop ended early (break, an exception): stop reading. After the end this changes nothing.
        stop.abort();
        channel.cancel();
        await run;
      }
    },
  };
}

/**
 * Checks a page as execute() checks its output: against the output schema narrowed to the list field
 * (its definitions kept), so an item that breaks the contract fails the stream before the loop sees it.
 */
function pageCheck(contract: ActionContract): (items: unknown[]) => Promise<void> {
  const field = streamedField(contract)!;
  const output = contract.output as { properties: Record<string, unknown> };
  const schema = { ...contract.output, properties: { [field]: output.properties[field] }, required: [field] };
  return async (items) => {
    const problems = (await loadValidators()).checkOutput(`${contract.key}#page`, schema, { [field]: items });
    if (problems.length > 0) throw outputContractError(contract.key, problems);
  };
}

/** The request's fields (a stream has no dry run), or the StreamError that says what is wrong with it. */
function readStreamRequest(actionKey: unknown, request: unknown): HostRequest {
  try {
    return readHostRequest(request, ['connection', 'input', 'signal']);
  } catch (error) {
    throw new StreamError(toErrorEnvelope(error), { action: nameOf(actionKey), durationMs: 0, requests: 0 });
  }
}

/** An action that is not a list of one kind of item cannot stream; said the way execute() says things. */
function refuseUnstreamable(actionKey: string, connection: unknown): StreamError | undefined {
  const contract = typeof actionKey === 'string' ? findAction(actionKey) : undefined;
  if (contract && streamedField(contract)) return undefined;
  const error = new ActionError(
    contract ? 'UNSUPPORTED' : 'UNKNOWN_ACTION',
    contract
      ? `${actionKey} does not return one list of items, so it cannot stream; run it with execute().`
      : `There is no list action "${nameOf(actionKey)}" to stream.`,
    { retryable: false },
  );
  return new StreamError(redactSecrets(error.envelope, rawSecrets(connection)), {
    action: nameOf(actionKey),
    durationMs: 0,
    requests: 0,
  });
}

/** The input's maxItems when it is a number (the run checks the input itself and says what is wrong). */
function maxItemsOf(input: unknown): number | undefined {
  try {
    const maxItems = (input as { maxItems?: unknown } | null | undefined)?.maxItems;
    return typeof maxItems === 'number' ? maxItems : undefined;
  } catch {
    return undefined;
  }
}

/** An action key for messages and meta, whatever the host passed. */
function nameOf(actionKey: unknown): string {
  return typeof actionKey === 'string' ? actionKey : typeof actionKey;
}

/**
 * The hand-over between the action's reading (take) and the loop (next): a page read waits until the loop
 * takes it, so while the loop works on one page the next is read, and no more.
 */
class PageChannel implements PageSink {
  private readonly pages: unknown[][] = [];
  private result: ActionResult | undefined;
  private cancelled = false;
  private wakeLoop: (() => void) | undefined;
  private wakeReader: (() => void) | undefined;

  constructor(
    readonly maxItems: number | undefined,
    private readonly check: (items: unknown[]) => Promise<void>,
  ) {}

  async take(items: unknown[]): Promise<void> {
    await this.check(items);
    if (items.length > 0) this.pages.push(items);
    this.wake('loop');
    while (this.pages.length > 0 && !this.cancelled)
      await new Promise<void>((resolve) => (this.wakeReader = resolve));
    // The loop is gone: end the reading the way a cancelled run ends.
    if (this.cancelled)
      throw new ActionError('CANCELLED', 'The stream was closed before the end of the list.');
  }

  end(result: ActionResult): void {
    this.result = result;
    this.wake('loop');
  }

  cancel(): void {
    this.cancelled = true;
    this.wake('reader');
  }

  async next(): Promise<{ items?: unknown[]; result?: ActionResult }> {
    while (this.pages.length === 0 && !this.result)
      await new Promise<void>((resolve) => (this.wakeLoop = resolve));
    const items = this.pages.shift();
    this.wake('reader');
    return items ? { items } : { result: this.result! };
  }

  private wake(who: 'loop' | 'reader'): void {
    const wake = who === 'loop' ? this.wakeLoop : this.wakeReader;
    if (who === 'loop') this.wakeLoop = undefined;
    else this.wakeReader = undefined;
    wake?.();
  }
}
