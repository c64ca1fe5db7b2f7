import { loadMendedSpec } from '../scripts/okta-spec.mjs';

/** Parses Okta's API description once per run; workers read the cached JSON (see scripts/okta-spec.mjs). */
export default function setup(): void {
  loadMendedSpec();
}
