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
  return { content: [{ type: 'text', text: capped(structured) }], structuredContent: structured };
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
      ...extra,
    },
  };
  return { isError: true, content: [{ type: 'text', text: capped(body) }] };
}

/** A destructive call not run: the plan, and how to run it. Nothing was sent that changes Okta. */
export function planAnswer(plan: DryRunOutput, why: string): ToolAnswer {
  return errorAnswer(
    {
      code: 'CONFIRMATION_REQUIRED',
      message: `${why} Nothing was changed. ${
        plan.wouldChange
          ? `A run would send: ${plan.plan.map((step) => `${step.method} ${step.path} (${step.step})`).join('; ')}.`
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
    case 'INVALID_INPUT':
      return "Fix the arguments named in details (see the tool's input schema) and call again.";
    default:
      return error.retryable
        ? 'Retry later (after retryAfterMs when given).'
        : 'Do not retry as is: read the message, change the arguments or ask the person.';
  }
}

/** JSON text of at most TEXT_LIMIT characters; a cut one says where the rest is. */
export function capped(value: unknown): string {
  const text = JSON.stringify(value, null, 2);
  if (text.length <= TEXT_LIMIT) return text;
  const next = (value as { nextCursor?: unknown } | null)?.nextCursor;
  const more =
    typeof next === 'string'
      ? `ask for fewer items (maxItems), or continue with cursor "${next}" (the answer's nextCursor)`
      : 'ask for fewer items (maxItems) or a narrower search; the structured content holds the whole answer';
  return `${text.slice(0, TEXT_LIMIT)}\n... cut at ${TEXT_LIMIT} of ${text.length} characters: ${more}.`;
}
