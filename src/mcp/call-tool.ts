/**
 * One tool call: the arguments to an execute() input, the safety of destructive actions (a dry run's plan,
 * then the person's confirmation through elicitation, or confirm: true), and the answer.
 */
import type { ActionContract } from '../manifest/manifest.js';
import type { ConnectionUpdate } from '../oauth/authorizer.js';
import { type ExecuteRequest, execute, type HostOptions } from '../runtime/execute.js';
import type { DryRunOutput } from '../runtime/results.js';
import { errorAnswer, outputAnswer, planAnswer, type ToolAnswer } from './answers.js';
import { AGENT_PAGE_SIZE, takesPageSize } from './tools.js';

/** What a call needs from the server it came through. */
export interface CallContext {
  connection: Record<string, unknown>;
  hostOptions: HostOptions;
  signal?: AbortSignal;
  /** Asks the person to confirm, when the client can (elicitation); undefined when it cannot. */
  confirm?: (message: string) => Promise<boolean>;
  /** OAuth tokens a run refreshed: the connection must hold them from now on (Okta rotates refresh tokens). */
  onConnectionUpdate?: (update: ConnectionUpdate) => void;
}

export async function callTool(
  action: ActionContract,
  args: Record<string, unknown> | undefined,
  context: CallContext,
): Promise<ToolAnswer> {
  const { confirm, ...input } = args ?? {};
  if (!action.annotations.destructive && confirm !== undefined) input.confirm = confirm;
  if (takesPageSize(action) && input.maxItems === undefined) input.maxItems = AGENT_PAGE_SIZE;
  const { connection, signal } = context;

  if (action.annotations.destructive) {
    const refusal = await confirmDestructive(action, input, confirm === true, context);
    if (refusal) return refusal;
  }
  const result = await run(action, { connection, input, signal }, context);
  return result.ok ? outputAnswer(result.output) : errorAnswer(result.error);
}

/**
 * Undefined when the destructive call may run; otherwise the answer that stops it. The plan comes from a
 * dry run, which reads and changes nothing.
 */
async function confirmDestructive(
  action: ActionContract,
  input: Record<string, unknown>,
  confirmed: boolean,
  context: CallContext,
): Promise<ToolAnswer | undefined> {
  if (!context.confirm && confirmed) return undefined;
  const { connection, signal } = context;
  const dry = await run(action, { connection, input, signal, dryRun: true }, context);
  if (!dry.ok) return errorAnswer(dry.error);
  const plan = dry.output as DryRunOutput;
  if (!context.confirm) {
    return planAnswer(plan, `${action.title} is destructive and was not confirmed (confirm: true).`);
  }
  if (!plan.wouldChange) {
    // Nothing to confirm: the run changes nothing (a delete of what is gone, with missingOk).
    return undefined;
  }
  const steps = plan.plan.map((step) => `- ${step.method} ${step.path} (${step.step})`).join('\n');
  const agreed = await context.confirm(
    `${action.title}: this changes Okta and cannot simply be undone. It would send:\n${steps}\nRun it?`,
  );
  if (agreed) return undefined;
  return errorAnswer({
    code: 'DECLINED',
    message: `The person declined to run ${action.title}: nothing was sent that changes Okta.`,
  });
}

/** execute(), passing on refreshed tokens. */
async function run(action: ActionContract, request: ExecuteRequest, context: CallContext) {
  const result = await execute(action.key, request, context.hostOptions);
  const update = result.meta?.connectionUpdate;
  if (update) context.onConnectionUpdate?.(update);
  return result;
}
