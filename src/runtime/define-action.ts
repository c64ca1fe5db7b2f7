/** The shape of an action handler: validated input in, output out. The contract lives in action.json. */
import type { OktaContext } from '../okta/okta-context.js';
import type { StepLog } from './steps.js';

export interface HandlerContext<Input> {
  /** The input, validated against the action's input schema, with schema defaults filled in. */
  input: Input;
  okta: OktaContext;
  /** The caller's cancel signal; requests already honour it, long loops should check it too. */
  signal: AbortSignal | undefined;
  /** For multi-step actions: record each step so a failure reports what was already done. */
  steps: StepLog;
}

export type ActionHandler<Input = unknown, Output = unknown> = (
  context: HandlerContext<Input>,
) => Promise<Output>;

export function defineAction<Input, Output>(
  handler: ActionHandler<Input, Output>,
): ActionHandler<Input, Output> {
  return handler;
}
