/**
 * What a tool call answers: the output as structured content with its JSON as text, or an error as a
 * result with isError (never a thrown protocol error, so the agent reads it). The text is capped: an
 * agent's context is small, and a list says how to read on.
 */
import type { ActionErrorEnvelope } from '../errors/action-error.js';
import type { DryRunOutput } from '../runtime/results.js';

/** The most characters of text one answer carries. */
export const TEXT_LIMIT = 20_000;

export interface ToolAnswer {
  [key: string]: unknown;
  content: { type: 'text'; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export function outputAnswer(output: unknown): ToolAnswer {
  const structured = (output ?? {}) as Record<string, unknown>;
  return {
    content: [{ type: 'text', text: capped(structured, { whole: 'in the structured content' }) }],
    structuredContent: structured,
  };
}

/** The parts of an error envelope an agent can use; any other code (CONFIRMATION_REQUIRED, DECLINED) too. */
type Failure = { code: string; message: string } & Partial<Omit<ActionErrorEnvelope, 'code' | 'message'>>;

export function errorAnswer(envelope: Failure, extra: Record<string, unknown> = {}): ToolAnswer {
  const { code, message } = envelope;
  const body = {
    error: {
      code,
      message,
      whatToDo: whatToDo(envelope),
      ...(envelope.retryable !== undefined ? { retryable: envelope.retryable } : {}),
      ...(envelope.retryAfterMs !== undefined ? { retryAfterMs: envelope.retryAfterMs } : {}),
      ...(envelope.details ? { details: envelope.details } : {}),
      ...(envelope.okta ? { okta: envelope.okta } : {}),
      // A multi-step action that failed part way: which steps ran, which failed, which were not tried.
      ...(envelope.steps ? { steps: envelope.steps } : {}),
      ...(envelope.progress ? { progress: envelope.progress } : {}),
      ...extra,
    },
  };
  return { isError: true, content: [{ type: 'text', text: capped(body, {}) }] };
}

/**
 * A destructive call not run: the plan, and how to run it. Nothing was sent that changes Okta. The plan's
 * steps, not all it read to make them (that can be tens of thousands of characters): the paths it read say
 * where to look.
 */
export function planAnswer(dryRun: DryRunOutput, why: string): ToolAnswer {
  const plan = { wouldChange: dryRun.wouldChange, plan: dryRun.plan, read: Object.keys(dryRun.current) };
  return errorAnswer(
    {
      code: 'CONFIRMATION_REQUIRED',
      message: `${why} Nothing was changed. ${
        dryRun.wouldChange
          ? `A run would send: ${dryRun.plan.map((step) => `${step.method} ${step.path} (${step.step})`).join('; ')}.`
          : 'A run would change nothing: it is already done.'
      }`,
    },
    { plan },
  );
}

function whatToDo(error: Failure): string {
  switch (error.code) {
    case 'CONFIRMATION_REQUIRED':
      return 'Show the plan to the person; if they agree, call the tool again with the same arguments and confirm: true.';
    case 'DECLINED':
      return 'The person declined: do not retry unless they ask for it.';
    case 'TOOL_HIDDEN':
      return 'Use another connection that lists this tool, or ask the person to give the connection what the message names.';
    case 'UNKNOWN_TOOL':
      return 'Call tools/list and use a tool it names.';
    case 'INVALID_INPUT':
      return "Fix the arguments named in details (see the tool's input schema) and call again.";
    default:
      return error.retryable
        ? 'Retry later (after retryAfterMs when given).'
        : 'Do not retry as is: read the message, change the arguments or ask the person.';
  }
}

/**
 * JSON text of at most TEXT_LIMIT characters, note included; a cut one says how to get the rest. Compact:
 * indentation would spend a quarter of the budget on spaces.
 */
export function capped(value: unknown, { whole }: { whole?: string }): string {
  const text = JSON.stringify(value);
  if (text.length <= TEXT_LIMIT) return text;
  const next = (value as { nextCursor?: unknown } | null)?.nextCursor;
  const more =
    typeof next === 'string'
      ? `ask for fewer items (maxItems), or continue with cursor "${next}" (the answer's nextCursor)`
      : `ask for fewer items (maxItems) or a narrower search${whole ? `; the whole answer is ${whole}` : ''}`;
  const note = (kept: number) => `\n... cut at ${kept} of ${text.length} characters: ${more}.`;
  // The note's own length depends on the number in it: size it for the longest number it can hold.
  const kept = TEXT_LIMIT - note(TEXT_LIMIT).length;
  return `${text.slice(0, kept)}${note(kept)}`;
}
