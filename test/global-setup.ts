import { loadMendedSpec } from './helpers/openapi-load.js';

/** Parses Okta's API description once per run; workers read the cached JSON (see openapi-load.ts). */
export default function setup(): void {
  loadMendedSpec();
}
