/** Okta's full published API description, as the checker the tests hold requests and fixtures to. */

import { loadMendedSpec } from '../../scripts/okta-spec.mjs';
import { OktaApiDescription, type OpenApiDocument } from '../../src/sandbox/okta-api.js';

let description: OktaApiDescription | undefined;

export function oktaApiDescription(): OktaApiDescription {
  description ??= new OktaApiDescription(loadMendedSpec() as OpenApiDocument);
  return description;
}
