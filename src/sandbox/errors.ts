/**
 * Okta's error answers, as the sandbox sends them: `{ errorCode, errorSummary, errorLink, errorId,
 * errorCauses: [{ errorSummary }] }` with the status Okta uses for each code.
 */
import { randomBytes } from 'node:crypto';

export class OktaHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    readonly errorSummary: string,
    readonly causes: string[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${errorCode} ${errorSummary}`);
  }

  body() {
    return {
      errorCode: this.errorCode,
      errorSummary: this.errorSummary,
      errorLink: this.errorCode,
      errorId: `oae${randomBytes(11).toString('base64url').slice(0, 19)}`,
      errorCauses: this.causes.map((errorSummary) => ({ errorSummary })),
    };
  }
}

/** E0000001: a request that breaks the API's rules (the causes name the field and what is wrong). */
export function validationFailed(what: string, causes: string[]): OktaHttpError {
  return new OktaHttpError(400, 'E0000001', `Api validation failed: ${what}`, causes);
}

/**
 * E0000003: Okta's JSON reader could not read the body (not JSON, a value of the wrong JSON type, a property
 * the body does not have). Okta names no cause (flypenguin/okta-cli#1, okta-sdk-nodejs#98); Okta's error
 * code list: https://developer.okta.com/docs/reference/error-codes/#E0000003
 */
export function bodyNotWellFormed(): OktaHttpError {
  return new OktaHttpError(400, 'E0000003', 'The request body was not well-formed.');
}

/** E0000007: no such resource, phrased as Okta does ("Not found: Resource not found: <id> (<Type>)"). */
export function notFound(id: string, type: string): OktaHttpError {
  return new OktaHttpError(404, 'E0000007', `Not found: Resource not found: ${id} (${type})`);
}

/** E0000038: a lifecycle operation the object's current status does not allow. */
export function notAllowedInStatus(kind = "user's"): OktaHttpError {
  return new OktaHttpError(403, 'E0000038', `This operation is not allowed in the ${kind} current status.`);
}

export function invalidToken(): OktaHttpError {
  return new OktaHttpError(401, 'E0000011', 'Invalid token provided');
}

export function forbidden(): OktaHttpError {
  return new OktaHttpError(403, 'E0000006', 'You do not have permission to perform the requested action');
}

/** E0000031: a search or filter expression Okta cannot read. */
export function invalidSearch(cause: string): OktaHttpError {
  return new OktaHttpError(400, 'E0000031', 'Invalid search criteria.', [cause]);
}

export function alreadyExists(field: string): OktaHttpError {
  return validationFailed(field, [
    `${field}: An object with this field already exists in the current organization`,
  ]);
}
