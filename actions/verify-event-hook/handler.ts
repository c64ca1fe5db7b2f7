import { eventHookPath, type OktaEventHookJson, requireEventHook } from '../../src/domain/event-hooks.js';
import { toErrorEnvelope } from '../../src/errors/map-error.js';
import { defineAction, PLANNED } from '../../src/handler/define-action.js';
import { toPlainJson } from '../../src/handler/okta-context.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const hook = await requireEventHook(okta, input.eventHookId);
  if (hook.verificationStatus === 'VERIFIED') return result(hook, null, false);
  try {
    const verified = await change('verify', { method: 'POST', path: eventHookPath(hook.id, 'verify') }, () =>
      okta.sdk.eventHookApi.verifyEventHook({ eventHookId: hook.id }),
    );
    if (!verified) return PLANNED;
    return result(toPlainJson<OktaEventHookJson>(verified), null, true);
  } catch (error) {
    const reason = verificationFailure(error);
    if (reason === undefined) throw error;
    return result(hook, reason, false);
  }
});

function result(hook: OktaEventHookJson, failureReason: string | null, changed: boolean): Output {
  const verificationStatus = hook.verificationStatus ?? 'UNVERIFIED';
  return {
    id: hook.id,
    name: hook.name,
    status: hook.status,
    verificationStatus,
    verified: verificationStatus === 'VERIFIED',
    failureReason,
    changed,
    eventHook: hook,
  };
}

/**
 * Okta answers 400 when the endpoint failed the challenge (no answer in time, an error status, or no
 * echo); its causes say which. Any other failure is an ordinary error.
 */
function verificationFailure(error: unknown): string | undefined {
  const envelope = toErrorEnvelope(error);
  if (envelope.status !== 400) return undefined;
  const causes = (envelope.okta?.errorCauses ?? []).map((cause) => cause.errorSummary).filter(Boolean);
  return causes.join('; ') || envelope.okta?.errorSummary || 'Okta could not verify the endpoint.';
}
