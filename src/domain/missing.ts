/** Reading an object that may legitimately be gone (delete actions with missingOk). */
import { ActionError } from '../errors/action-error.js';

/** The object, or undefined when Okta says it does not exist and the caller accepts that. */
export async function unlessMissing<T>(
  read: () => Promise<T>,
  missingOk: boolean | undefined,
): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (missingOk && isNotFound(error)) return undefined;
    throw error;
  }
}

function isNotFound(error: unknown): boolean {
  if (error instanceof ActionError) return error.envelope.code === 'NOT_FOUND';
  const thrown = error as { name?: string; status?: number };
  return thrown?.name === 'OktaApiError' && thrown.status === 404;
}
