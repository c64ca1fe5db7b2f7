/** The one-time verification call to a hook's endpoint, and what its answer must be. */
import { type OktaHttpError, validationFailed } from '../../errors.js';
import type { EventHookRecord } from './model.js';

/** Okta waits 3 seconds for the endpoint, and tries once more after a timeout or an error answer. */
const VERIFICATION_TIMEOUT_MS = 3_000;
const VERIFICATION_ATTEMPTS = 2;

interface EndpointAnswer {
  /** The body of the first 2xx answer, or why there was none. */
  body?: string;
  failure?: string;
}

/** The GET the verification makes: a timeout per attempt, and one more attempt after a failure. */
export async function requestChallengeEcho(
  hook: EventHookRecord,
  challenge: string,
): Promise<EndpointAnswer> {
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const header of hook.headers) headers[header.key] = header.value;
  if (hook.authScheme) headers[hook.authScheme.key] = hook.authScheme.value;
  headers['x-okta-verification-challenge'] = challenge;
  let failure = 'no answer';
  for (let attempt = 0; attempt < VERIFICATION_ATTEMPTS; attempt += 1) {
    try {
      const response = await fetch(hook.uri, {
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(VERIFICATION_TIMEOUT_MS),
      });
      const body = await response.text();
      if (response.ok) return { body };
      failure = `the endpoint answered HTTP ${response.status}`;
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      failure =
        (error as Error).name === 'TimeoutError'
          ? `the endpoint did not answer within ${VERIFICATION_TIMEOUT_MS} ms`
          : `the endpoint could not be reached (${cause})`;
    }
  }
  return { failure };
}

/** Why the endpoint's answer does not prove it owns the hook, or undefined when it does. */
export function verificationProblem(answer: EndpointAnswer, challenge: string): string | undefined {
  if (answer.failure !== undefined) return answer.failure;
  try {
    const echoed = (JSON.parse(answer.body ?? '') as { verification?: unknown } | null)?.verification;
    if (echoed === challenge) return undefined;
  } catch {
    return 'the endpoint did not answer with JSON';
  }
  return 'the endpoint did not answer with {"verification": "<the challenge it was sent>"}';
}

export function verificationFailed(reason: string): OktaHttpError {
  return validationFailed('Verification failed', [`Event hook verification failed: ${reason}`]);
}
